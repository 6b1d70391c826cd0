#include "tools/interleave/html_timeline.hpp"

#include <fmt/format.h>

#include "harness/access.hpp"
#include "tools/interleave/conflicting_pair.hpp"
#include "tools/interleave/operation_table.hpp"

namespace interleave {
namespace {

constexpr std::string_view kStyle = R"(
body{font:14px/1.35 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2433;background:#f6f7f9}
header{padding:14px 20px;background:#fff;border-bottom:1px solid #d8dce3}
h1{font-size:18px;margin:0 0 4px}
.meta{color:#5b6475;font-size:12px}
#outcome{margin-top:8px;font-weight:600;color:#a3261b}
#outcome.ok{color:#1f7a3a}
#why{margin-top:4px;max-width:1100px}
.legend{margin-top:8px;font-size:12px;color:#5b6475}
.legend .swatch{display:inline-block;width:12px;height:12px;vertical-align:-2px;border:2px solid #d9480f;background:#fff4e6;border-radius:3px}
button{font:inherit;font-size:12px;margin-left:10px}
#scroll{overflow:auto;max-height:calc(100vh - 150px);margin:12px 20px;border:1px solid #d8dce3;background:#fff}
table{border-collapse:separate;border-spacing:0;width:100%;table-layout:fixed}
th{position:sticky;top:0;background:#eef1f6;z-index:1;text-align:left;padding:6px 10px;border-bottom:1px solid #d8dce3;font-weight:600}
th.when{width:64px;color:#5b6475;font-weight:400}
td{vertical-align:top;padding:3px 10px;border-right:1px dashed #e4e7ec}
td.when{color:#8a93a3;font:12px ui-monospace,monospace;white-space:nowrap}
tr:nth-child(even) td{background:#fafbfc}
.op{border:1px solid #b9c3d4;border-left:4px solid var(--lane);background:#fff;border-radius:4px;padding:2px 6px;font:13px ui-monospace,SFMono-Regular,Menlo,monospace}
.op summary{cursor:pointer;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
li.step{overflow:hidden;text-overflow:ellipsis}
.op .res{color:#3763c4}
.op.pair{border-color:#d9480f;border-left-color:var(--lane);background:#fff4e6;box-shadow:0 0 0 2px #ffd8a8}
.op .tag{float:right;margin-left:12px;font:600 11px system-ui,sans-serif;color:#d9480f;text-transform:uppercase;letter-spacing:.04em}
ol.steps{margin:4px 0 2px;padding-left:0;list-style:none}
li.step{font-size:12px;color:#3a4254;white-space:nowrap;padding:1px 2px}
li.step .n{color:#8a93a3;display:inline-block;min-width:3em}
li.step.pair{background:#ffe8cc;font-weight:600;color:#a3261b}
)";

constexpr std::string_view kScript = R"(
(function(){
  try {
    var all = document.querySelectorAll('details.op');
    var button = document.getElementById('toggle');
    var open = false;
    button.addEventListener('click', function(){
      open = !open;
      for (var i = 0; i < all.length; ++i) all[i].open = open || all[i].classList.contains('pair');
      button.textContent = open ? 'collapse all steps' : 'expand all steps';
    });
    var first = document.querySelector('.op.pair');
    if (first) first.scrollIntoView({block: 'center'});
    var done = document.createElement('div');
    done.id = 'loaded';
    done.hidden = true;
    done.textContent = all.length + ' operations';
    document.body.appendChild(done);
  } catch (e) {
    var bad = document.createElement('div');
    bad.id = 'script-error';
    bad.textContent = String(e);
    document.body.appendChild(bad);
    throw e;
  }
})();
)";

/// Lane colours, by goroutine: a fixed list, so the page depends on the trace only.
constexpr std::string_view kLaneColours[] = {"#3763c4", "#2f9e44", "#9c36b5", "#e8590c", "#0c8599", "#c2255c"};

std::string step_title(const harness::Trace& trace, const harness::Event& e) {
  std::string title = fmt::format("step {}: {}", e.step, e.label);
  if (e.object != harness::kNoObject && harness::index(e.object) < trace.objects.size())
    title += fmt::format(" on {}", trace.objects[harness::index(e.object)].name);
  title += fmt::format(" ({})", harness::to_string(e.access));
  if (!e.detail.empty()) title += "\n" + e.detail;
  return title;
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string render_html_timeline(const harness::Trace& trace) {
  const OperationTable table = group_operations(trace);
  const ConflictingPair pair = find_conflicting_pair(trace, table);
  std::vector<bool> row_marked(table.rows.size(), false);
  for (const std::size_t i : pair.events) row_marked[table.row_of_event[i]] = true;
  const std::size_t lanes = trace.fibers.size();

  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
         "script-src 'unsafe-inline'\">\n";
  out += fmt::format("<title>interleave: {}</title>\n<style>{}</style>\n</head>\n<body>\n", html_escape(trace.program),
                     kStyle);
  out += fmt::format("<header>\n<h1>{}</h1>\n<div class=\"meta\">", html_escape(trace.program));
  std::string how;
  for (const auto& [key, value] : trace.provenance)
    if (key != "scenario-hash") how += fmt::format("{}{} = {}", how.empty() ? "" : " · ", key, value);
  out += html_escape(how) + fmt::format("{}{} goroutines, {} operations, {} steps</div>\n", how.empty() ? "" : " · ",
                                        lanes, table.rows.size(), trace.events.size());
  out += fmt::format("<div id=\"outcome\"{}>{}</div>\n", trace.outcome.ok() ? " class=\"ok\"" : "",
                     html_escape("=> " + harness::describe(trace.outcome)));
  if (!pair.why.empty()) out += "<div id=\"why\">" + html_escape(pair.why) + "</div>\n";
  out += "<div class=\"legend\">";
  if (!pair.events.empty()) out += "<span class=\"swatch\"></span> the conflicting pair · ";
  out += "click an operation for its steps, hover a step for its record<button id=\"toggle\" type=\"button\">expand "
         "all steps</button></div>\n";
  out += "</header>\n<div id=\"scroll\">\n<table id=\"lanes\">\n<thead><tr><th class=\"when\">steps</th>";
  for (std::size_t f = 0; f < lanes; ++f)
    out += fmt::format("<th class=\"lane\" style=\"color:{}\">{}</th>", kLaneColours[f % std::size(kLaneColours)],
                       html_escape(trace.fibers[f]));
  out += "</tr></thead>\n<tbody>\n";
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const OperationRow& row = table.rows[r];
    const std::uint64_t from = trace.events[row.events.front()].step;
    const std::uint64_t to = trace.events[row.events.back()].step;
    out += fmt::format("<tr><td class=\"when\">{}</td>", from == to ? fmt::format("{}", from)
                                                                   : fmt::format("{}&ndash;{}", from, to));
    for (std::size_t f = 0; f < lanes; ++f) {
      if (f != row.fiber) {
        out += "<td></td>";
        continue;
      }
      out += fmt::format("<td><details class=\"op{}\" style=\"--lane:{}\"{}><summary title=\"{}\">",
                         row_marked[r] ? " pair" : "", kLaneColours[f % std::size(kLaneColours)],
                         row_marked[r] ? " open" : "",
                         html_escape(fmt::format("{} steps, {} to {}", row.events.size(), from, to)));
      if (row_marked[r]) out += "<span class=\"tag\">conflicting pair</span>";
      out += "<span class=\"call\">" + html_escape(row.call) + "</span>";
      if (!row.result.empty()) out += " <span class=\"res\">" + html_escape(row.result) + "</span>";
      out += "</summary><ol class=\"steps\">";
      for (const std::size_t i : row.events) {
        const harness::Event& e = trace.events[i];
        out += fmt::format("<li class=\"step{}\" title=\"{}\"><span class=\"n\">{}</span>{}{}</li>",
                           marked(pair, i) ? " pair" : "", html_escape(step_title(trace, e)), e.step,
                           html_escape(e.label), e.detail.empty() ? "" : ": " + html_escape(e.detail));
      }
      out += "</ol></details></td>";
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n</div>\n";
  out += fmt::format("<script>{}</script>\n</body>\n</html>\n", kScript);
  return out;
}

}  // namespace interleave
