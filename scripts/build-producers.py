"""Builds the producer matrix's Python-made inputs from the bundled sample (scripts/build-producers.ts
runs this with Debian's /usr/bin/python3 and python3-openpyxl).

  /usr/bin/python3 scripts/build-producers.py SAMPLE.xlsx OUT_DIR

Writes into OUT_DIR, each carrying the sample's defined names (docs/TEMPLATE.md) so a refresh works:
- openpyxl.xlsx            openpyxl's load + save (inline strings, no sharedStrings part, r: declared
                           on each <sheet>, zip entries not in the usual order)
- openpyxl-chartsheet.xlsx openpyxl with a chart sheet (a bar chart of Underlag) between the user's sheets
- openpyxl-features.xlsx   openpyxl with what a user's workbook holds beside the contract, on the
                           contract's own sheet and on a sheet of its own: comments (legacy VML), a table,
                           conditional formats, data validation, a hyperlink, an array formula, a formula
                           reading the output column, a sheet-scoped name, a hidden sheet
- dotnet.xlsx              written by hand the way System.IO.Packaging + the Open XML SDK write packages:
                           every SpreadsheetML element prefixed x:, r: declared only on the elements
                           that use it, absolute relationship targets, "R" + hex relationship ids,
                           worksheet parts named as the SDK names new parts (sheet.xml, sheet2.xml …), and
                           a UTF-8 byte-order mark on every XML part (XmlWriterSettings.Encoding defaults
                           to Encoding.UTF8, which writes one)
- minimal.xlsx             no styles.xml, no sharedStrings.xml, no theme, no docProps; inline strings
- inline-strings.xlsx      inline strings, including empty <c t="inlineStr"></c> cells as openpyxl
                           writes for "" (in Kommentar and Åtgärder's Område column)
- empty-rows.xlsx          shared strings, and empty <row> elements after the data on every sheet
- macro.xlsm               the sample as a macro workbook: macroEnabled main part and a vbaProject.bin
                           part (dummy bytes: nothing runs it)
"""

import datetime
import sys
import zipfile
from xml.sax.saxutils import escape, quoteattr

from openpyxl import load_workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL = R
OFFICE_DOC = REL + "/officeDocument"
CT_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
CT_SST = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
CT_RELS = "application/vnd.openxmlformats-package.relationships+xml"
CORE_PROPS = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
CT_CORE = "application/vnd.openxmlformats-package.core-properties+xml"
CT_APP = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
DECL = '<?xml version="1.0" encoding="utf-8"?>'


def read_model(sample):
    """The sample's sheets (cells with value and number format) and defined names, via openpyxl."""
    wb = load_workbook(sample)
    sheets = []
    for ws in wb.worksheets:
        rows = {}
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                value = cell.value
                if isinstance(value, (datetime.datetime, datetime.date)):
                    value = to_excel(value)
                rows.setdefault(cell.row, []).append((cell.column, value, cell.number_format))
        sheets.append({"name": ws.title, "rows": rows})
    names = [(d.name, d.attr_text) for d in wb.defined_names.definedName]
    return sheets, names


class Styles:
    """Number formats → cellXfs indexes (0 = General)."""

    def __init__(self):
        self.formats = {}

    def index(self, fmt):
        if not fmt or fmt == "General":
            return 0
        return self.formats.setdefault(fmt, len(self.formats) + 1)

    def xml(self, p):
        num = "".join(
            f"<{p}numFmt numFmtId={quoteattr(str(163 + i))} formatCode={quoteattr(f)}/>"
            for f, i in self.formats.items()
        )
        xfs = "".join(
            f'<{p}xf numFmtId="{163 + i}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            for i in self.formats.values()
        )
        xmlns = f'xmlns:{p[:-1]}="{MAIN}"' if p else f'xmlns="{MAIN}"'
        return (
            f"{DECL}<{p}styleSheet {xmlns}>"
            f'<{p}numFmts count="{len(self.formats)}">{num}</{p}numFmts>'
            f'<{p}fonts count="1"><{p}font><{p}sz val="11"/><{p}name val="Calibri"/></{p}font></{p}fonts>'
            f'<{p}fills count="2"><{p}fill><{p}patternFill patternType="none"/></{p}fill>'
            f'<{p}fill><{p}patternFill patternType="gray125"/></{p}fill></{p}fills>'
            f'<{p}borders count="1"><{p}border><{p}left/><{p}right/><{p}top/><{p}bottom/><{p}diagonal/></{p}border></{p}borders>'
            f'<{p}cellStyleXfs count="1"><{p}xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></{p}cellStyleXfs>'
            f'<{p}cellXfs count="{len(self.formats) + 1}"><{p}xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>{xfs}</{p}cellXfs>'
            f'<{p}cellStyles count="1"><{p}cellStyle name="Normal" xfId="0" builtinId="0"/></{p}cellStyles>'
            f"</{p}styleSheet>"
        )


def text_el(p, s):
    space = ' xml:space="preserve"' if s != s.strip() else ""
    return f"<{p}t{space}>{escape(s)}</{p}t>"


class Writer:
    """Hand-written SpreadsheetML packages in several producers' styles."""

    def __init__(self, model, prefix="", absolute=False, styles=True, sst=True, empty_inline=(),
                 trailing_rows=0, docprops=True, rel_id=lambda i: f"rId{i}", bom=False,
                 sheet_part=lambda i: f"sheet{i + 1}.xml"):
        self.sheets, self.names = model
        self.p = f"{prefix}:" if prefix else ""
        self.absolute = absolute
        self.styles = Styles() if styles else None
        self.sst = [] if sst else None
        self.sst_index = {}
        self.empty_inline = set(empty_inline)
        self.trailing_rows = trailing_rows
        self.docprops = docprops
        self.rel_id = rel_id
        self.bom = bom
        self.sheet_part = sheet_part

    def root_ns(self):
        return f'xmlns:{self.p[:-1]}="{MAIN}"' if self.p else f'xmlns="{MAIN}"'

    def target(self, part, base="xl/"):
        return "/" + part if self.absolute else part[len(base):] if part.startswith(base) else part

    def string_cell(self, ref, s, style):
        p = self.p
        if self.sst is not None:
            if s not in self.sst_index:
                self.sst_index[s] = len(self.sst)
                self.sst.append(s)
            return f'<{p}c r="{ref}"{style} t="s"><{p}v>{self.sst_index[s]}</{p}v></{p}c>'
        return f'<{p}c r="{ref}"{style} t="inlineStr"><{p}is>{text_el(p, s)}</{p}is></{p}c>'

    def cell(self, sheet, ref, value, fmt):
        p = self.p
        style = ""
        if self.styles is not None:
            i = self.styles.index(fmt)
            style = f' s="{i}"' if i else ""
        if isinstance(value, bool):
            return f'<{p}c r="{ref}"{style} t="b"><{p}v>{int(value)}</{p}v></{p}c>'
        if isinstance(value, (int, float)):
            return f'<{p}c r="{ref}"{style}><{p}v>{repr(value)}</{p}v></{p}c>'
        return self.string_cell(ref, str(value), style)

    def sheet_xml(self, sheet):
        p = self.p
        rows = sheet["rows"]
        empty = {(r, c) for (s, r, c) in self.empty_inline if s == sheet["name"]}
        for r, c in empty:
            rows.setdefault(r, [])
        last = max(rows) if rows else 1
        body = []
        for r in sorted(rows):
            cells = {c: (v, f) for c, v, f in rows[r]}
            for rr, c in empty:
                if rr == r and c not in cells:
                    cells[c] = None
            xml = []
            for c in sorted(cells):
                ref = f"{get_column_letter(c)}{r}"
                if cells[c] is None:
                    xml.append(f'<{p}c r="{ref}" t="inlineStr"></{p}c>')
                else:
                    xml.append(self.cell(sheet, ref, *cells[c]))
            body.append(f'<{p}row r="{r}">{"".join(xml)}</{p}row>')
        for r in range(last + 1, last + 1 + self.trailing_rows):
            body.append(f'<{p}row r="{r}" ht="15" customHeight="1"/>' if r % 2 else f'<{p}row r="{r}"></{p}row>')
        return f"{DECL}<{p}worksheet {self.root_ns()}><{p}sheetData>{''.join(body)}</{p}sheetData></{p}worksheet>"

    def workbook_xml(self, ids):
        p = self.p
        sheets = "".join(
            f'<{p}sheet name={quoteattr(s["name"])} sheetId="{i + 1}" r:id="{ids[i]}" xmlns:r="{R}"/>'
            if self.p
            else f'<sheet name={quoteattr(s["name"])} sheetId="{i + 1}" r:id="{ids[i]}"/>'
            for i, s in enumerate(self.sheets)
        )
        names = "".join(
            f"<{p}definedName name={quoteattr(n)}>{escape(t)}</{p}definedName>" for n, t in self.names
        )
        ns = self.root_ns() if self.p else f'xmlns="{MAIN}" xmlns:r="{R}"'
        return f"{DECL}<{p}workbook {ns}><{p}sheets>{sheets}</{p}sheets><{p}definedNames>{names}</{p}definedNames></{p}workbook>"

    def rels(self, rels):
        body = "".join(
            f'<Relationship Type="{t}" Target="{escape(target)}" Id="{i}"/>' for i, t, target in rels
        )
        return f'{DECL}<Relationships xmlns="{PKG_RELS}">{body}</Relationships>'

    def write(self, path, main_ct=CT_MAIN, extra_parts=()):
        parts = {}
        overrides = [("/xl/workbook.xml", main_ct)]
        wb_rels = []
        ids = []
        for i, sheet in enumerate(self.sheets):
            part = f"xl/worksheets/{self.sheet_part(i)}"
            parts[part] = self.sheet_xml(sheet)
            ids.append(self.rel_id(len(wb_rels) + 1))
            wb_rels.append((ids[-1], REL + "/worksheet", self.target(part)))
            overrides.append(("/" + part, CT_SHEET))
        if self.styles is not None:
            parts["xl/styles.xml"] = self.styles.xml(self.p)
            wb_rels.append((self.rel_id(len(wb_rels) + 1), REL + "/styles", self.target("xl/styles.xml")))
            overrides.append(("/xl/styles.xml", CT_STYLES))
        if self.sst:
            p = self.p
            items = "".join(f"<{p}si>{text_el(p, s)}</{p}si>" for s in self.sst)
            parts["xl/sharedStrings.xml"] = (
                f'{DECL}<{p}sst {self.root_ns()} count="{len(self.sst)}" uniqueCount="{len(self.sst)}">{items}</{p}sst>'
            )
            wb_rels.append((self.rel_id(len(wb_rels) + 1), REL + "/sharedStrings", self.target("xl/sharedStrings.xml")))
            overrides.append(("/xl/sharedStrings.xml", CT_SST))
        parts["xl/workbook.xml"] = self.workbook_xml(ids)
        parts["xl/_rels/workbook.xml.rels"] = self.rels(wb_rels)
        pkg_rels = [(self.rel_id(1), OFFICE_DOC, "/xl/workbook.xml" if self.absolute else "xl/workbook.xml")]
        if self.docprops:
            parts["docProps/core.xml"] = (
                f'{DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
                ' xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Ekonomisystemet</dc:creator></cp:coreProperties>'
            )
            pkg_rels.append((self.rel_id(2), CORE_PROPS, "/docProps/core.xml" if self.absolute else "docProps/core.xml"))
            overrides.append(("/docProps/core.xml", CT_CORE))
        parts["_rels/.rels"] = self.rels(pkg_rels)
        for name, data, ct in extra_parts:
            parts[name] = data
            overrides.append(("/" + name, ct))
        types = "".join(f'<Override PartName="{n}" ContentType="{c}"/>' for n, c in overrides)
        ct_xml = (
            f'{DECL}<Types xmlns="{CT}"><Default Extension="rels" ContentType="{CT_RELS}"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>{types}</Types>'
        )
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", ("\ufeff" if self.bom else "") + ct_xml)
            for name, data in parts.items():
                z.writestr(name, ("\ufeff" + data if self.bom and isinstance(data, str) else data))


def dotnet_rel_id(i):
    # System.IO.Packaging names relationships "R" + 16 hex digits.
    return "R" + format(0x3A9F2C4B7D1E0000 + i * 0x1111, "016x")


def empty_comment_cells(model):
    """Kommentar cells of lines without a comment, and Åtgärder's empty Område cells."""
    sheets, _ = model
    out = []
    for sheet in sheets:
        if sheet["name"] == "Underlag":
            for r in range(10, 18):
                if not any(c == 32 for c, _, _ in sheet["rows"].get(r, [])):
                    out.append(("Underlag", r, 32))
        if sheet["name"] == "Åtgärder":
            for r in range(4, 20):
                if not any(c == 1 for c, _, _ in sheet["rows"].get(r, [])):
                    out.append(("Åtgärder", r, 1))
    return out


def openpyxl_plain(sample, out):
    load_workbook(sample).save(out)


def openpyxl_chartsheet(sample, out):
    wb = load_workbook(sample)
    ws = wb["Underlag"]
    chart = BarChart()
    chart.title = "Utfall jan–apr"
    chart.add_data(Reference(ws, min_col=15, max_col=18, min_row=10, max_row=11), from_rows=True)
    chart.set_categories(Reference(ws, min_col=15, max_col=18, min_row=9, max_row=9))
    cs = wb.create_chartsheet("Diagram", 2)
    cs.add_chart(chart)
    wb.save(out)


def openpyxl_features(sample, out):
    from openpyxl.comments import Comment
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import PatternFill
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.table import Table, TableStyleInfo

    wb = load_workbook(sample)
    u = wb["Underlag"]
    u["A10"].comment = Comment("Kontrollera mot huvudboken", "Ekonom")
    u.conditional_formatting.add(
        "O10:Z17", CellIsRule(operator="lessThan", formula=["-20000"], fill=PatternFill("solid", fgColor="FFF8D7DA"))
    )
    own = wb.create_sheet("Egna beräkningar")
    own.append(["Post", "Utfall apr", "Andel"])
    for r in range(10, 18):
        own.append([f"=Underlag!A{r}", f"=Underlag!R{r}", f"=B{r - 8}/SUM($B$2:$B$9)"])
    own.add_table(Table(displayName="Egna", ref="A1:C9", tableStyleInfo=TableStyleInfo(name="TableStyleMedium2")))
    own["E1"] = "Summa avvikelse"
    own["E2"] = "=SUM(Underlag!AA10:AA17)"  # reads the output column the refresh fills
    own["F2"] = "=TRANSPOSE(Underlag!B3:B4)"
    own.formula_attributes["F2"] = {"t": "array", "ref": "F2:F3"}  # openpyxl 3.0's array formula
    own["E4"] = "Mall"
    own["E4"].hyperlink = "https://example.org/mall"
    dv = DataValidation(type="whole", operator="between", formula1="1", formula2="12")
    own.add_data_validation(dv)
    dv.add("E6")
    own["G1"].comment = Comment("Egen anteckning", "Ekonom")
    hidden = wb.create_sheet("Gömd")
    hidden["A1"] = "Hjälpvärden"
    hidden.sheet_state = "hidden"
    wb.defined_names.append(DefinedName("Hjalp", localSheetId=wb.sheetnames.index("Gömd"), attr_text="'Gömd'!$A$1"))
    wb.save(out)


def macro(sample, out):
    """The sample's parts, re-zipped with a macro-enabled main part and a VBA project."""
    with zipfile.ZipFile(sample) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.decode("utf-8").replace(CT_MAIN, CT_MACRO_MAIN).replace(
                    "</Types>", '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>'
                ).encode("utf-8")
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.decode("utf-8").replace(
                    "</Relationships>",
                    '<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject"'
                    ' Target="vbaProject.bin"/></Relationships>',
                ).encode("utf-8")
            dst.writestr(info, data)
        # A compound-file signature and padding: enough to be a part that must come out byte-identical.
        dst.writestr("xl/vbaProject.bin", bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + bytes(range(256)) * 4)


def main(sample, out_dir):
    openpyxl_plain(sample, f"{out_dir}/openpyxl.xlsx")
    openpyxl_chartsheet(sample, f"{out_dir}/openpyxl-chartsheet.xlsx")
    openpyxl_features(sample, f"{out_dir}/openpyxl-features.xlsx")
    Writer(read_model(sample), prefix="x", absolute=True, rel_id=dotnet_rel_id, bom=True,
           sheet_part=lambda i: "sheet.xml" if i == 0 else f"sheet{i + 1}.xml").write(f"{out_dir}/dotnet.xlsx")
    Writer(read_model(sample), styles=False, sst=False, docprops=False).write(f"{out_dir}/minimal.xlsx")
    model = read_model(sample)
    Writer(model, sst=False, empty_inline=empty_comment_cells(model)).write(f"{out_dir}/inline-strings.xlsx")
    Writer(read_model(sample), trailing_rows=12).write(f"{out_dir}/empty-rows.xlsx")
    macro(sample, f"{out_dir}/macro.xlsm")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
