#pragma once
// The subcommands of lenet-train; each adds itself to the app and runs when chosen.

#include <CLI/CLI.hpp>

namespace lenet {

void add_train_command(CLI::App& app);
void add_eval_command(CLI::App& app);
void add_info_command(CLI::App& app);
void add_predict_command(CLI::App& app);
void add_trace_command(CLI::App& app);
void add_export_command(CLI::App& app);
void add_eval_drawings_command(CLI::App& app);
void add_finetune_command(CLI::App& app);
void add_plausibility_command(CLI::App& app);

}  // namespace lenet
