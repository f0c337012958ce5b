#include "native_trainer/report/html_page.hpp"

#include "core/base/error.hpp"
#include "core/formats/file_io.hpp"

namespace lenet {

std::filesystem::path make_report_folder(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error("--report " + dir + ": cannot create the folder (" + ec.message() + ")");
  return dir;
}

void write_text_file(const std::filesystem::path& path, const std::string& text) {
  write_file_atomic(path.string(), reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

std::string html_escape(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '<') out += "&lt;";
    else if (ch == '>') out += "&gt;";
    else if (ch == '&') out += "&amp;";
    else out += ch;
  }
  return out;
}

std::string html_page(const std::string& title, const std::string& body) {
  // Light or dark as the reader's system is; the pictures keep their white paper in both.
  return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">"
         "<meta name=\"color-scheme\" content=\"light dark\">"
         "<title>" + html_escape(title) + "</title><style>body{font-family:system-ui,sans-serif;max-width:1140px;margin:2em auto;padding:0 1em}"
         "img{max-width:100%}table{border-collapse:collapse}td,th{padding:2px 10px;text-align:right;border-bottom:1px solid #ddd}"
         "table.settings th,table.settings td{text-align:left}table.settings th{font-weight:normal}"
         "pre{background:#f6f6f6;padding:1em;overflow:auto}"
         "@media (prefers-color-scheme:dark){body{background:#15171a;color:#e4e4e4}td,th{border-bottom-color:#3a3d42}"
         "pre,code{background:#23262b}a{color:#8cb4ff}img{border-radius:4px}}</style></head><body>\n<h1>" + html_escape(title) + "</h1>\n" +
         body + "</body></html>\n";
}

std::vector<std::vector<std::uint64_t>> confusion_rows(const ConfusionMatrix& m) {
  std::vector<std::vector<std::uint64_t>> rows(m.classes);
  for (std::size_t t = 0; t < m.classes; ++t)
    for (std::size_t p = 0; p < m.classes; ++p) rows[t].push_back(m.at(t, p));
  return rows;
}

}  // namespace lenet
