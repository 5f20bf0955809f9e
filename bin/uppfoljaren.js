#!/usr/bin/env node
"use strict";
// A reader that stops early (`uppfoljaren check IN.xlsx | head`) closes the pipe: stop quietly, not with
// a stack trace.
for (const stream of [process.stdout, process.stderr])
  stream.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
require("../dist/cli.js")
  .runProcess(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
