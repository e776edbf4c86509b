"""Page chrome left in text copied from web pages: breadcrumbs, share and QR-code prompts, copyright
and licence lines, app and log-in prompts, search-page templates, editor sign-offs. It is removed
before an article is split, so it is neither embedded, matched by keyword search, nor quoted.

What is removed: a bracket (`[下载APP看直播…]`), a breadcrumb (`当前位置：首页 > 新闻`), a sign-off
phrase, or the end of a segment (text between sentence ends, line breaks or layout spaces) from the
clause where chrome starts. A statement that only chrome makes (`版权归原作者所有`, `您在查找…吗`) removes
up to 80 characters; a prompt that news may also quote (`关注公众号` in a fraud report) only up to 25,
so a sentence that mentions it stays whole.
"""
from __future__ import annotations

import re

STATEMENT = (
    r"版权所有\s*(?:[:：©\d]|$)|版权归原作者|如有侵权|侵权(?:请)?联系|若有来源错误|转载请(?:务必)?注明"
    r"|未经(?:书面)?(?:许可|授权).{0,8}(?:转载|使用)|ICP备|公网安备"
    r"|您在查找.{0,60}吗|帮你找到更多|以上就是小编|感谢(?:你|您)花时间阅读|大驾光临"
)
PROMPT = (
    r"扫码(?:下载|关注|阅读|打开|直接下载|查看)|扫描(?:上方|下方)二维码|扫一扫|微信扫描|长按(?:识别|二维码)|二维码(?:分享|查看)"
    r"|分享到\s*[:：]|分享至好友|点击(?:文末|下方|上方|蓝字|右上角)|设为星标|关注(?:本|我们的)?(?:微信)?公众号|文末在看"
    r"|打开(?:APP|客户端)(?:阅读|查看)|APP内(?:打开|阅读)|登录后即可|立即(?:登录|注册)|综合搜索|责任编辑\s*[:：]"
)
IN_BRACKETS = r"下载(?:客户端|APP)"  # `[下载APP看直播/预测领166元红包]`; in a sentence it may be news
LIMITS = ((re.compile(STATEMENT, re.IGNORECASE), 80), (re.compile(PROMPT, re.IGNORECASE), 25))
BRACKETED = re.compile(
    rf"[\[【](?:(?![\[【\]】]).){{0,40}}?(?:{STATEMENT}|{PROMPT}|{IN_BRACKETS})(?:(?![\[【\]】]).){{0,40}}?[\]】]",
    re.IGNORECASE)
SIGN_OFF = re.compile(r"返回搜狐，?查看更多|责任编辑\s*[:：]\s*[\u4e00-\u9fff]{0,4}\s*$", re.MULTILINE)
BREADCRUMB = re.compile(r"(?:(?:当前位置|您(?:现在)?的位置)\s*[:：]\s*[^\s>]{0,12}|首页)(?:\s*>{1,2}\s*[^\s>]{1,12})+")
PHRASES = (SIGN_OFF, BREADCRUMB)  # removed wherever they are
CJK = r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef“”]"
CLAUSE_MARKS = "，,；;】）)"
# A sentence, a line, or a run of text up to a layout space next to Chinese (`扫一扫 下载APP 正文…`).
SEGMENT = re.compile(rf"[^。！？!?\n]*?(?:[。！？!?]+[”’」』）)】\]]*|\n|(?<={CJK})[ \u3000\t]+|[ \u3000\t]+(?={CJK})|$)")


def chrome_start(segment: str) -> int | None:
    """Where the chrome that ends this segment starts (the start of its clause), or None. What comes
    before it in the segment (a byline, `（海外网张霓）`) is kept."""
    cuts = []
    for pattern, limit in LIMITS:
        if match := pattern.search(segment):
            start = max(segment.rfind(mark, 0, match.start()) + 1 for mark in CLAUSE_MARKS)
            if len(segment[start:].strip()) <= limit:
                cuts.append(start)
    return min(cuts, default=None)


def strip_page_chrome(text: str) -> str:
    """The text without its page chrome; text without chrome comes back unchanged."""
    if not any(pattern.search(text) for pattern in (BRACKETED, *PHRASES, *(p for p, _ in LIMITS))):
        return text
    text = BRACKETED.sub("", text)
    for phrase in PHRASES:
        text = phrase.sub("", text)
    kept = []
    for match in SEGMENT.finditer(text):
        segment = match.group(0)
        cut = chrome_start(segment)
        kept.append(segment if cut is None else segment[:cut])
    return "".join(kept)
