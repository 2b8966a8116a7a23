"""Full fmt2021 report pages as HTML in several encodings, with the truth of every T2/T3/T4 cell.

The page is built the way CMS pages print the 2021 form (docs/formats.md#fmt2021): T2 as one 4-column table
of four blocks, T3 on the 10-column grid with rowspan/colspan labels, T4 with its three header rows.
Values are non-zero; a few cells are ``&nbsp;`` (blank); labels sit in ``<p>``; page chrome surrounds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from gongkai import keys

TITLE = "淳安县人民政府2022年政府信息公开工作年度报告"
PUBLISHER = "淳安县人民政府"
YEAR = 2022

# Blank (&nbsp;) cells: a blank 自然人 cell, blank totals, a fully blank row, a blank T2 and T4 cell.
BLANKS = frozenset(
    {
        "T2_1.regulation.made",
        "T3.granted.total",
        "T3.partly_granted.natural_person",
        "T3.denied_state_secret.total",
        "T3.unable_not_held.research",
        "T3.noproc_repeat.natural_person",
        "T3.noproc_repeat.total",
        "T4.review.corrected",
        "T4.lit_after_review.other",
    }
)

T3_LABELS: tuple[tuple[str, str, str, str], ...] = (
    # row key, level-1, level-2, level-3 label (empty when the level above spans it)
    ("new_received", "一、本年新收政府信息公开申请数量", "", ""),
    ("carried_in", "二、上年结转政府信息公开申请数量", "", ""),
    ("granted", "三、本年度办理结果", "（一）予以公开", ""),
    ("partly_granted", "", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ""),
    ("denied_state_secret", "", "（三）不予公开", "1.属于国家秘密"),
    ("denied_law_prohibited", "", "", "2.其他法律行政法规禁止公开"),
    ("denied_security_stability", "", "", "3.危及“三安全一稳定”"),
    ("denied_third_party", "", "", "4.保护第三方合法权益"),
    ("denied_internal_affairs", "", "", "5.属于三类内部事务信息"),
    ("denied_process_info", "", "", "6.属于四类过程性信息"),
    ("denied_enforcement_file", "", "", "7.属于行政执法案卷"),
    ("denied_admin_query", "", "", "8.属于行政查询事项"),
    ("unable_not_held", "", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("unable_need_creation", "", "", "2.没有现成信息需要另行制作"),
    ("unable_still_unclear", "", "", "3.补正后申请内容仍不明确"),
    ("noproc_petition", "", "（五）不予处理", "1.信访举报投诉类申请"),
    ("noproc_repeat", "", "", "2.重复申请"),
    ("noproc_publication", "", "", "3.要求提供公开出版物"),
    ("noproc_massive", "", "", "4.无正当理由大量反复申请"),
    ("noproc_confirm", "", "", "5.要求行政机关确认或重新出具已获取信息"),
    ("other_no_correction", "", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_fee_unpaid", "", "", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_misc", "", "", "3.其他"),
    ("outcome_total", "", "（七）总计", ""),
    ("carried_out", "四、结转下年度继续办理", "", ""),
)
_GROUP_ROWSPAN = {
    "三、本年度办理结果": 22,
    "（三）不予公开": 8,
    "（四）无法提供": 3,
    "（五）不予处理": 5,
    "（六）其他处理": 3,
}

T2_BLOCKS = (
    (
        "第二十条第（一）项",
        ("信息内容", "本年制发<br/>件数", "本年废止件数", "现行有效件数"),
        "T2_1",
        (("regulation", "规章"), ("normative_doc", "行政规范性文件")),
        ("made", "repealed", "valid"),
    ),
    ("第二十条第（五）项", ("信息内容", "本年处理决定数量"), "T2_5", (("license", "行政许可"),), ("decisions",)),
    (
        "第二十条第（六）项",
        ("信息内容", "本年处理决定数量"),
        "T2_6",
        (("penalty", "行政处罚"), ("coercion", "行政强制")),
        ("decisions",),
    ),
    (
        "第二十条第（八）项",
        ("信息内容", "本年收费金额（单位：万元）"),
        "T2_8",
        (("admin_fee", "行政事业性收费"),),
        ("fee_amount",),
    ),
)


@dataclass(frozen=True)
class HtmlCase:
    name: str
    content: bytes
    encoding: str  # the encoding the bytes are in
    truth: dict[str, str | None]  # "T3.granted.total" -> printed value, None when blank
    meta_mismatch: bool = False


def truth_cells() -> dict[str, str | None]:
    """Distinct non-zero values for every cell (fees with decimals), None for the blank cells."""
    cells: dict[str, str | None] = {}
    counter = 0
    for _caption, _header, table, rows, cols in T2_BLOCKS:
        for row, _label in rows:
            for col in cols:
                counter += 1
                cells[f"{table}.{row}.{col}"] = f"{counter}.5" if col == "fee_amount" else str(counter)
    for row in keys.T3_ROWS_2021:
        for col in keys.T3_COLS:
            counter += 1
            cells[f"T3.{row}.{col}"] = str(counter)
    for row in keys.T4_ROWS:
        for col in keys.T4_COLS:
            counter += 1
            cells[f"T4.{row}.{col}"] = str(counter)
    return {key: (None if key in BLANKS else value) for key, value in cells.items()}


def _td(text: str | None, **attrs: int) -> str:
    spans = "".join(f' {name}="{value}"' for name, value in attrs.items() if value > 1)
    body = "&nbsp;" if text is None else f"<p>{text}</p>"
    return f"<td{spans}>{body}</td>"


def _t2_table(truth: dict[str, str | None]) -> str:
    rows = []
    for caption, header, table, labels, cols in T2_BLOCKS:
        rows.append(f"<tr>{_td(caption, colspan=4)}</tr>")
        span = 3 if len(header) == 2 else 1
        header_cells = [_td(header[0])] + [_td(h, colspan=span) for h in header[1:]]
        rows.append("<tr>" + "".join(header_cells) + "</tr>")
        for row, label in labels:
            span = 3 if len(cols) == 1 else 1
            values = "".join(_td(truth[f"{table}.{row}.{col}"], colspan=span) for col in cols)
            rows.append(f"<tr>{_td(label)}{values}</tr>")
    return '<table border="1"><tbody>' + "\n".join(rows) + "</tbody></table>"


def _t3_table(truth: dict[str, str | None]) -> str:
    rows = [
        f"<tr>{_td('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', colspan=3, rowspan=3)}"
        f"{_td('申请人情况', colspan=7)}</tr>",
        f"<tr>{_td('自然人', rowspan=2)}{_td('法人或其他组织', colspan=5)}{_td('总计', rowspan=2)}</tr>",
        "<tr>" + "".join(_td(w) for w in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")) + "</tr>",
    ]
    for row, level1, level2, level3 in T3_LABELS:
        labels = ""
        if level1:
            labels += _td(level1, colspan=3 if not level2 else 1, rowspan=_GROUP_ROWSPAN.get(level1, 1))
        if level2:
            labels += _td(level2, colspan=1 if level3 else 2, rowspan=_GROUP_ROWSPAN.get(level2, 1))
        if level3:
            labels += _td(level3)
        values = "".join(_td(truth[f"T3.{row}.{col}"]) for col in keys.T3_COLS)
        rows.append(f"<tr>{labels}{values}</tr>")
    return '<table border="1"><tbody>' + "\n".join(rows) + "</tbody></table>"


def _t4_table(truth: dict[str, str | None]) -> str:
    results = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    rows = [
        f"<tr>{_td('行政复议', colspan=5)}{_td('行政诉讼', colspan=10)}</tr>",
        "<tr>"
        + "".join(_td(w, rowspan=2) for w in results)
        + _td("未经复议直接起诉", colspan=5)
        + _td("复议后起诉", colspan=5)
        + "</tr>",
        "<tr>" + "".join(_td(w) for w in results * 2) + "</tr>",
        "<tr>" + "".join(_td(truth[f"T4.{row}.{col}"]) for row in keys.T4_ROWS for col in keys.T4_COLS) + "</tr>",
    ]
    return '<table border="1"><tbody>' + "\n".join(rows) + "</tbody></table>"


def report_page(truth: dict[str, str | None], meta: str | None) -> str:
    """The whole page: chrome, title, narrative, the three tables, closing sections and signature."""
    meta_tag = f'<meta http-equiv="Content-Type" content="text/html; charset={meta}">' if meta else ""
    return f"""<!DOCTYPE html>
<html><head>{meta_tag}<title>{escape(TITLE)}</title>
<style>td {{ border: 1px solid; }}</style>
<script>var nav = "<p>首页</p>"; document.write("<a href=\\"/\\" class=\\"x\\" id=\\"y\\">广告</a>");</script></head>
<body>
<header class="site-top"><div class="logo">淳安县人民政府门户网站</div></header>
<nav><ul><li>首页</li><li>政务公开</li><li>政府信息公开年报</li></ul></nav>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 年报</div>
<div class="article">
<h1>{TITLE}</h1>
<div class="share-bar">分享到：<a>微信</a><a>微博</a></div>
<p>本报告根据《中华人民共和国政府信息公开条例》编制。本报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止。</p>
<p>一、总体情况</p>
<p>2022年，本县认真贯彻落实《条例》，<br/>全面推进政务公开工作。</p>
<p>二、主动公开政府信息情况</p>
{_t2_table(truth)}
<p>三、收到和处理政府信息公开申请情况</p>
{_t3_table(truth)}
<p>四、政府信息公开行政复议、行政诉讼情况</p>
{_t4_table(truth)}
<p>五、存在的主要问题及改进情况</p>
<p>公开内容还不够全面。</p>
<p>六、其他需要报告的事项</p>
<p>无。</p>
<p style="text-align:right">{PUBLISHER}</p>
<p style="text-align:right">2023年1月20日</p>
</div>
<div class="bdshare_t">分享到</div>
<footer><p>主办：淳安县人民政府办公室</p></footer>
</body></html>
"""


def html_cases() -> list[HtmlCase]:
    """The same report in UTF-8, GBK, GB2312 and GB18030, with and without meta, and with wrong metas."""
    truth = truth_cells()
    specs = (
        ("utf8_meta", "utf-8", "utf-8", False),
        ("utf8_no_meta", "utf-8", None, False),
        ("gbk_meta", "gbk", "gbk", False),
        ("gb2312_meta", "gb2312", "gb2312", False),
        ("gb18030_meta", "gb18030", "gb18030", False),
        ("gbk_no_meta", "gbk", None, False),
        ("gbk_wrong_meta_utf8", "gbk", "utf-8", True),
        ("utf8_wrong_meta_gb2312", "utf-8", "gb2312", True),
    )
    return [
        HtmlCase(name, report_page(truth, meta).encode(encoding), encoding, truth, mismatch)
        for name, encoding, meta, mismatch in specs
    ]
