#pragma once
// What the HTML reports (a training run's `--report DIR`, eval-drawings' `--report DIR`) share:
// their folder, atomic text files, escaping, the page around their content, the matrix as rows.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/train/metrics.hpp"

namespace lenet {

// Creates the folder (and its parents) if needed; throws lenet::Error naming `--report DIR`.
std::filesystem::path make_report_folder(const std::string& dir);
// Written atomically: the old file or the whole new one, never half of it.
void write_text_file(const std::filesystem::path& path, const std::string& text);
std::string html_escape(const std::string& text);
// A whole page: the reports' style, `title` as the title and first heading, then `body` (HTML).
std::string html_page(const std::string& title, const std::string& body);
// Row t holds how many samples of true class t were predicted as each class (JSON-ready).
std::vector<std::vector<std::uint64_t>> confusion_rows(const ConfusionMatrix& matrix);

}  // namespace lenet
