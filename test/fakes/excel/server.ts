/**
 * The in-memory Excel's request executor: what Microsoft's Office.js library (loaded by library.ts)
 * sends on context.sync() is executed here against the workbook model, and answered the way the library
 * reads answers (ClientRequestContext.processRequestExecutorResponseMessage in
 * @microsoft/office-js/dist/excel-web-16.00.debug.js):
 *
 * - The request body is { Actions, ObjectPaths }. Object paths are GlobalObject (1), Method (3),
 *   Property (4), Indexer (5) and ReferenceId (6) steps from the workbook; actions are Instantiate (1),
 *   Query (2), Method (3), SetProperty (4) and Trace (5), executed in order.
 * - The answer is Body.Results: one { ActionId, Value } per Instantiate, Query and Method action. A
 *   path that resolves to nothing (an *OrNullObject method that found nothing, or any step below it)
 *   answers null, which the library turns into isNullObject === true; a query or a method through a null
 *   object answers null too, a property set through one fails with ItemNotFound. Objects added by
 *   Add() answer their Id, so the library can address them in later requests.
 * - The first failing action stops the request: the actions before it stay applied (a batch is not a
 *   transaction), and Body.Error carries Excel's error { Code, Message, HttpStatusCode, Location,
 *   ActionIndex }, which the library raises as OfficeExtension.Error with that code.
 * - Payload limits of Excel on the web: "Excel on the web has a payload size limit for requests and
 *   responses of 5MB" ("Resource limits and performance optimization for Office Add-ins",
 *   https://learn.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization,
 *   Excel add-ins). A larger request is refused before anything runs (RequestPayloadSizeLimitExceeded);
 *   a larger response fails after the request ran (ResponsePayloadSizeLimitExceeded), with no results.
 *   Sizes are the UTF-8 bytes of the JSON bodies.
 * - API sets: methods and properties newer than the host's ExcelApi version fail with ApiNotFound.
 *
 * Browser-safe: no Node APIs.
 */
import { ExcelError, XObject, XWorkbook, type Env } from "./objects";
import type { FakeWorkbook } from "./model";

/** "5MB", read as 5 000 000 bytes (the stricter reading). */
export const PAYLOAD_LIMIT_BYTES = 5_000_000;

interface ArgumentInfo {
  Arguments?: unknown[];
  ReferencedObjectPathIds?: number[];
}
interface PathInfo {
  Id: number;
  ObjectPathType: number;
  Name: string;
  ParentObjectPathId?: number;
  ArgumentInfo?: ArgumentInfo;
}
interface ActionInfo {
  Id: number;
  ActionType: number;
  Name: string;
  ObjectPathId: number;
  ArgumentInfo?: ArgumentInfo;
  QueryInfo?: { Select?: string[]; Expand?: string[] };
}
export interface RequestBody {
  Actions: ActionInfo[];
  ObjectPaths: Record<string, PathInfo>;
}
export interface ResponseMessage {
  HttpStatusCode: number;
  ErrorCode: string;
  ErrorMessage: string;
  Headers: Record<string, string>;
  Body: unknown;
}

/** One executed request, as the tests and the bench read it. */
export interface SyncRecord {
  /** UTF-8 bytes of the request body's JSON (what the library sends). */
  bytes: number;
  /** UTF-8 bytes of the response body's JSON. */
  responseBytes: number;
  actions: number;
  /** SetProperty and Method actions that ran (writes and calls). */
  writes: number;
  ok: boolean;
  error?: string;
  /** Object paths that look a worksheet up in workbook.worksheets (getItem / getItemOrNullObject). */
  worksheetLookups: number;
  /**
   * The request Excel.run sends after the batch to release the references it kept (only
   * _RemoveReference calls): a round trip, but not a context.sync() of the add-in.
   */
  cleanup: boolean;
}

/**
 * The lowest ExcelApi version of the members the add-in uses, by wire name (the requirement set named
 * on each member's page in the Excel JavaScript API reference).
 */
const API_VERSION: Record<string, string> = {
  SuspendApiCalculationUntilNextSync: "1.6",
  SuspendScreenUpdatingUntilNextSync: "1.9",
  GetMergedAreasOrNullObject: "1.13",
  GetUsedRangeOrNullObject: "1.4",
  GetItemOrNullObject: "1.4",
  customXmlParts: "1.5",
  pageLayout: "1.9",
  headersFooters: "1.9",
  SetPrintTitleRows: "1.9",
  GetOnlyItemOrNullObject: "1.5",
  useStandardHeight: "1.2",
  visibility: "1.1",
  GetRangeOrNullObject: "1.4",
  GetSpecialCellsOrNullObject: "1.9",
  GetLocationOrNullObject: "1.7",
  GetSpecialCells: "1.9",
  GetIntersectionOrNullObject: "1.4",
  GetResizedRange: "1.7",
  GetRanges: "1.9",
};

export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

const camel = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export interface ServerControl {
  readonly model: FakeWorkbook;
  syncs: SyncRecord[];
  /** Fail this request (1-based over the server's life) after `applyFirst` actions, with `code`. */
  failAt: { sync: number; applyFirst: number; code?: string } | null;
  supports(set: string, version: string): boolean;
}

export class InMemoryExcel {
  /** Objects Excel.run asked to keep (_KeepReference), by the _ReferenceId answered for them. */
  private readonly references = new Map<string, XObject>();

  constructor(readonly control: ServerControl) {}

  /** Executes one request: the JSON text of the body the library sends. */
  execute(bodyText: string): ResponseMessage {
    const ctl = this.control;
    const record: SyncRecord = {
      bytes: utf8Length(bodyText),
      responseBytes: 0,
      actions: 0,
      writes: 0,
      ok: false,
      cleanup: false,
      worksheetLookups: 0,
    };
    ctl.syncs.push(record);
    if (record.bytes > PAYLOAD_LIMIT_BYTES) {
      record.error = "RequestPayloadSizeLimitExceeded";
      return transportError(
        "RequestPayloadSizeLimitExceeded",
        "The request payload size has exceeded the limit.",
      );
    }
    const body = JSON.parse(bodyText) as RequestBody;
    record.actions = body.Actions.length;
    const worksheets = new Set(
      Object.values(body.ObjectPaths)
        .filter((p) => p.ObjectPathType === 4 && p.Name === "Worksheets")
        .map((p) => p.Id),
    );
    record.worksheetLookups = Object.values(body.ObjectPaths).filter(
      (p) =>
        worksheets.has(p.ParentObjectPathId ?? -1) && (p.ObjectPathType === 5 || /^GetItem/.test(p.Name)),
    ).length;
    const methods = body.Actions.filter((a) => a.ActionType === 3);
    record.cleanup = methods.length > 0 && methods.every((a) => a.Name === "_RemoveReference");
    const run = new Execution(this.control, body, { model: ctl.model }, this.references);
    const fail = ctl.failAt?.sync === ctl.syncs.length ? ctl.failAt : null;
    const results: { ActionId: number; Value: unknown }[] = [];
    let error: Record<string, unknown> | null = null;
    for (let i = 0; i < body.Actions.length; i++) {
      const action = body.Actions[i];
      try {
        if (fail && i === fail.applyFirst)
          throw new ExcelError(
            fail.code ?? "GeneralException",
            `request ${ctl.syncs.length} failed (test)`,
            500,
          );
        const out = run.action(action);
        if (action.ActionType === 4 || (action.ActionType === 3 && changes(action.Name))) record.writes++;
        if (out !== NO_RESULT) results.push({ ActionId: action.Id, Value: out });
      } catch (e) {
        const err = e instanceof ExcelError ? e : new ExcelError("GeneralException", String(e), 500);
        error = {
          Code: err.code,
          Message: err.message,
          HttpStatusCode: err.status,
          Location: action.Name,
          ActionIndex: i,
        };
        break;
      }
    }
    if (fail && !error)
      error = {
        Code: fail.code ?? "GeneralException",
        Message: "failed (test)",
        HttpStatusCode: 500,
        ActionIndex: -1,
      };
    const responseBody: Record<string, unknown> = { Results: results };
    if (error) responseBody.Error = error;
    const text = JSON.stringify(responseBody);
    record.responseBytes = utf8Length(text);
    if (record.responseBytes > PAYLOAD_LIMIT_BYTES) {
      record.error = "ResponsePayloadSizeLimitExceeded";
      return transportError(
        "ResponsePayloadSizeLimitExceeded",
        "The response payload size has exceeded the limit.",
      );
    }
    record.ok = !error;
    if (error) record.error = String(error.Code);
    return { HttpStatusCode: 200, ErrorCode: "", ErrorMessage: "", Headers: {}, Body: JSON.parse(text) };
  }
}

/** Method actions that change the workbook (not reads such as GetXml, nor the suspend hints). */
function changes(method: string): boolean {
  return !/^(Get|Suspend|_KeepReference$|_RemoveReference$|_ValidateArraySize$)/.test(method);
}

function transportError(code: string, message: string): ResponseMessage {
  return { HttpStatusCode: 400, ErrorCode: code, ErrorMessage: message, Headers: {}, Body: null };
}

const NO_RESULT = Symbol("no result");

let referenceSeq = 0;

/** One request's execution: object paths resolve once, in the order the actions reach them. */
class Execution {
  private readonly resolved = new Map<number, XObject | null>();
  /** Paths whose objects Excel.run asks to keep (a _KeepReference call follows their Instantiate). */
  private readonly keep: Set<number>;

  constructor(
    private readonly control: ServerControl,
    private readonly body: RequestBody,
    private readonly env: Env,
    private readonly references: Map<string, XObject>,
  ) {
    this.keep = new Set(
      body.Actions.filter((a) => a.ActionType === 3 && a.Name === "_KeepReference").map(
        (a) => a.ObjectPathId,
      ),
    );
  }

  private requireApi(name: string): void {
    const v = API_VERSION[name];
    if (v && !this.control.supports("ExcelApi", v))
      throw new ExcelError(
        "ApiNotFound",
        `The API you are trying to use could not be found (${name} needs ExcelApi ${v}).`,
        404,
      );
  }

  private args(info: ArgumentInfo | undefined): unknown[] {
    const args = info?.Arguments ?? [];
    const refs = info?.ReferencedObjectPathIds ?? [];
    return args.map((a, i) => (refs[i] ? this.path(a as number) : a));
  }

  path(id: number): XObject | null {
    if (this.resolved.has(id)) return this.resolved.get(id) ?? null;
    const info = this.body.ObjectPaths[String(id)];
    if (!info) throw new ExcelError("InvalidObjectPath", `object path ${id} is missing from the request`);
    let out: XObject | null;
    if (info.ObjectPathType === 1) out = new XWorkbook(this.env);
    else if (info.ObjectPathType === 6) {
      const kept = this.references.get(info.Name);
      if (!kept) throw new ExcelError("InvalidObjectPath", `unknown reference ${info.Name}`);
      out = kept;
    } else {
      const parent = this.path(info.ParentObjectPathId ?? -1);
      if (parent === null) out = null;
      else if (info.ObjectPathType === 4) {
        this.requireApi(camel(info.Name));
        out = parent.nav(camel(info.Name));
      } else if (info.ObjectPathType === 5) out = parent.index(this.args(info.ArgumentInfo));
      else if (info.ObjectPathType === 3) {
        this.requireApi(info.Name);
        const r = parent.call(info.Name, this.args(info.ArgumentInfo));
        if (r !== null && !(r instanceof XObject))
          throw new ExcelError("InvalidObjectPath", `${info.Name} does not return an object`);
        out = r;
      } else throw new ExcelError("InvalidObjectPath", `object path type ${info.ObjectPathType}`);
    }
    this.resolved.set(id, out);
    return out;
  }

  action(a: ActionInfo): unknown {
    switch (a.ActionType) {
      case 1: {
        const obj = this.path(a.ObjectPathId);
        if (obj === null) return null;
        if (!this.keep.has(a.ObjectPathId)) return obj.identity();
        // A kept object answers a reference id: the library then addresses it by that id (an object
        // path of type ReferenceId) in later requests, and releases it after Excel.run.
        const id = `ref-${++referenceSeq}`;
        this.references.set(id, obj);
        return { ...obj.identity(), _ReferenceId: id };
      }
      case 2: {
        const obj = this.path(a.ObjectPathId);
        return obj === null ? null : query(obj, a.QueryInfo?.Select ?? []);
      }
      case 3: {
        // Excel.run keeps a reference to every range it creates, so the range survives across syncs;
        // the reference id was answered by the Instantiate action above.
        if (a.Name === "_KeepReference") return null;
        if (a.Name === "_RemoveReference") {
          this.references.delete(String(a.ArgumentInfo?.Arguments?.[0]));
          return null;
        }
        this.requireApi(a.Name);
        const obj = this.path(a.ObjectPathId);
        if (obj === null) return null;
        const r = obj.call(a.Name, this.args(a.ArgumentInfo));
        return r instanceof XObject ? r.identity() : (r ?? null);
      }
      case 4: {
        this.requireApi(camel(a.Name));
        const obj = this.path(a.ObjectPathId);
        if (obj === null) throw new ExcelError("ItemNotFound", "The requested resource doesn't exist.", 404);
        obj.set(camel(a.Name), this.args(a.ArgumentInfo)[0]);
        return NO_RESULT;
      }
      case 5:
        return NO_RESULT;
      default:
        throw new ExcelError("NotImplemented", `action type ${a.ActionType}`, 501);
    }
  }
}

/**
 * A query's answer: the selected properties in PascalCase (all scalar properties when nothing is
 * selected); a select through a navigation property nests ("protection/protected"); a collection
 * answers { _Items: [...] } with the select applied to every item.
 */
function query(obj: XObject, select: string[]): unknown {
  const items = obj.items();
  if (items) return { _Items: items.map((item) => query(item, select)) };
  const props = obj.props();
  const out: Record<string, unknown> = {};
  const nested = new Map<string, string[]>();
  for (const p of select.length ? select : Object.keys(props)) {
    const [head, ...rest] = p.split("/");
    if (rest.length === 0 && head in props) {
      out[pascal(head)] = props[head]();
      continue;
    }
    if (!nested.has(head)) nested.set(head, []);
    if (rest.length) nested.get(head)!.push(rest.join("/"));
  }
  for (const [head, rest] of nested) {
    const child = obj.nav(head);
    out[pascal(head)] = child === null ? null : query(child, rest);
  }
  return out;
}
