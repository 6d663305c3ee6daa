// The dashboard's stylesheet, served by imos itself (/dashboard/app.css): no build step, no CDN,
// no inline styles (the Content-Security-Policy allows none). Light and dark follow the system;
// sizes follow the viewport, so one page reads on a 1080p wall screen and on a phone (where a
// table's rows become short blocks, each figure labelled, and the header stays in view). Severity is
// never colour alone: every badge carries its glyph and its word.
export const DASHBOARD_CSS = `
:root{color-scheme:light dark;
--bg:#f4f6f8;--card:#fff;--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--accent:#0969da;
--ok:#1a7f37;--ok-bg:#dafbe1;--medium:#7d4e00;--medium-bg:#fff1c2;--high:#bc4c00;--high-bg:#ffe2cc;
--critical:#cf222e;--critical-bg:#ffdcd7;--error:#8250df;--error-bg:#eddeff;--pending:#57606a;--pending-bg:#eaeef2}
@media (prefers-color-scheme:dark){:root{
--bg:#0d1117;--card:#161b22;--fg:#e6edf3;--muted:#9198a1;--line:#30363d;--accent:#58a6ff;
--ok:#3fb950;--ok-bg:#0f2e1a;--medium:#e3b341;--medium-bg:#3a2a05;--high:#ffa657;--high-bg:#3d1f05;
--critical:#ff7b72;--critical-bg:#4a1113;--error:#d2a8ff;--error-bg:#2e1a4a;--pending:#9198a1;--pending-bg:#21262d}}
*{box-sizing:border-box}
html{font-size:clamp(15px,0.45vw + 9px,21px)}
body{margin:0;background:var(--bg);color:var(--fg);font:1rem/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK JP",sans-serif}
a{color:var(--accent)}
.top{position:sticky;top:0;z-index:2;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;align-items:baseline;justify-content:space-between;
padding:.6rem 1rem;background:var(--card);border-bottom:1px solid var(--line)}
.top h1{margin:0;font-size:1.35rem;font-weight:650}
.top h1 .brand{color:var(--muted);font-weight:500}
.meta{color:var(--muted);font-size:.9rem}
.conn{font-size:.9rem;font-weight:600;padding:.1rem .55rem;border-radius:1rem;border:1px solid var(--line)}
.conn.live{color:var(--ok);border-color:var(--ok)}
.conn.down{color:var(--critical);background:var(--critical-bg);border-color:var(--critical)}
body.offline main{opacity:.55}
.banner{margin:.75rem 1rem 0;padding:.5rem .8rem;border:1px solid var(--critical);background:var(--critical-bg);color:var(--critical);border-radius:.4rem}
main{display:grid;gap:1rem;padding:1rem;grid-template-columns:repeat(auto-fit,minmax(min(100%,31rem),1fr));align-items:start}
.card{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:.8rem 1rem;min-width:0}
.card.wide{grid-column:1/-1}
.card h2{margin:0 0 .5rem;font-size:1.05rem;display:flex;justify-content:space-between;gap:1rem}
.card h2 .count{color:var(--muted);font-weight:500}
.card h3{margin:.8rem 0 .3rem;font-size:.95rem;color:var(--muted)}
.muted{color:var(--muted)}
.empty{color:var(--muted);font-style:italic}
table{width:100%;border-collapse:collapse}
th{text-align:left;font-weight:600;color:var(--muted);font-size:.85rem}
th,td{padding:.25rem .4rem;border-bottom:1px solid var(--line);vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.msg{overflow-wrap:anywhere}
.nowrap{white-space:nowrap}
.figures{display:grid;grid-template-columns:minmax(9rem,auto) 1fr auto;gap:.2rem .8rem;align-items:center;margin:0}
.figures dt{color:var(--muted)}.figures dd{margin:0;font-weight:600}
.sev{display:inline-block;max-width:100%;font-weight:650;font-size:.85rem;padding:0 .45rem;border-radius:.3rem;border:1px solid}
.nowrap .sev,.tile .row .sev{white-space:nowrap}
.s-ok{color:var(--ok);background:var(--ok-bg)}.s-MEDIUM{color:var(--medium);background:var(--medium-bg)}
.s-HIGH{color:var(--high);background:var(--high-bg)}.s-CRITICAL{color:var(--critical);background:var(--critical-bg)}
.s-error{color:var(--error);background:var(--error-bg)}.s-pending{color:var(--pending);background:var(--pending-bg)}
.tiles{display:grid;gap:.6rem;grid-template-columns:repeat(auto-fill,minmax(min(100%,14rem),1fr))}
.tile{border:1px solid var(--line);border-left-width:.4rem;border-radius:.4rem;padding:.45rem .6rem;min-width:0}
.tile.t-ok{border-left-color:var(--ok)}.tile.t-MEDIUM{border-left-color:var(--medium)}.tile.t-HIGH{border-left-color:var(--high)}
.tile.t-CRITICAL{border-left-color:var(--critical)}.tile.t-error{border-left-color:var(--error)}.tile.t-pending{border-left-color:var(--pending)}
.tile .name{font-weight:650;overflow-wrap:anywhere}.tile .id{color:var(--muted);font-size:.85rem}
.tile .row{display:flex;justify-content:space-between;align-items:flex-start;gap:.5rem;font-size:.9rem;margin-top:.2rem}
ul.failing{list-style:none;margin:.35rem 0 0;padding:.3rem 0 0;border-top:1px solid var(--line);font-size:.85rem}ul.failing li{margin:.15rem 0}
svg.spark{width:7rem;height:1.4rem;vertical-align:middle;overflow:visible}
svg.spark polyline{fill:none;stroke:var(--accent);stroke-width:1.5;vector-effect:non-scaling-stroke}
svg.bar{width:100%;height:1.2rem;display:block}
svg.bar .span{fill:var(--line)}svg.bar .gone{fill:var(--accent);opacity:.3}svg.bar .done{fill:var(--accent)}.legend .key{display:inline-block;width:.8rem;height:.6rem;margin-left:.6rem;vertical-align:middle;background:var(--line)}.legend .key.done{background:var(--accent)}.legend .key.gone{background:var(--accent);opacity:.3}.legend .key.today{width:2px;background:var(--critical)}svg.bar .today{stroke:var(--critical);stroke-width:2;vector-effect:non-scaling-stroke}
.phase{margin:.5rem 0}.phase .head{display:flex;justify-content:space-between;gap:1rem;flex-wrap:wrap}
code.output{display:block;margin:.3rem 0 0;padding:.3rem .5rem;background:var(--bg);border-radius:.3rem;font-size:.85rem;white-space:pre-wrap;overflow-wrap:anywhere}
ul.plain{list-style:none;margin:0;padding:0}ul.plain li{padding:.2rem 0;border-bottom:1px solid var(--line)}
.notes{margin:.2rem 0 0;padding-left:1rem;color:var(--muted);font-size:.9rem}
.login{max-width:24rem;margin:12vh auto;padding:1.5rem}
.login input{width:100%;font:inherit;padding:.45rem;margin:.4rem 0 .8rem;border:1px solid var(--line);border-radius:.3rem;background:var(--bg);color:var(--fg)}
.login button,footer button{font:inherit;padding:.35rem .9rem;border-radius:.3rem;border:1px solid var(--line);background:var(--card);color:var(--fg);cursor:pointer}
.error{color:var(--critical)}
footer{display:flex;gap:1rem;flex-wrap:wrap;align-items:center;padding:0 1rem 1rem;color:var(--muted);font-size:.85rem}
footer form{margin:0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;overflow-wrap:anywhere}
@media (max-width:40rem){.top{padding:.4rem .75rem}.top h1{font-size:1.15rem}.hide-narrow{display:none}th,td{padding:.2rem .25rem}.figures{grid-template-columns:auto 1fr}.figures .spark-cell{display:none}
table,tbody,tr,td{display:block}thead{display:none}
tr{display:flex;flex-wrap:wrap;align-items:baseline;gap:.15rem .6rem;padding:.35rem 0;border-bottom:1px solid var(--line)}
td{border:0;padding:0}td.msg{order:1;flex-basis:100%}td.grow{flex:1 1 60%}td[data-label]::before{content:attr(data-label) " ";color:var(--muted);font-weight:400}}
`;
