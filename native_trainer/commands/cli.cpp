#include "native_trainer/commands/cli.hpp"

#include <cstdio>
#include <exception>

#include "native_trainer/commands/commands.hpp"
#include "core/base/error.hpp"
#include "native_trainer/run/invocation.hpp"
#include "native_trainer/run/training_run.hpp"

namespace lenet {

int run_cli(int argc, char** argv) {
  CLI::App app{"lenet-train: train LeNet on MNIST (on the CPU, or a GPU with --device cuda),\n"
               "evaluate and inspect models.\n"
               "Weights are safetensors with PyTorch's parameter names; the web page loads them as they are."};
  remember_command_line(argc, argv);
  app.require_subcommand(1);
  app.get_formatter()->column_width(34);
  add_train_command(app);
  add_eval_command(app);
  add_predict_command(app);
  add_eval_drawings_command(app);
  add_finetune_command(app);
  add_trace_command(app);
  add_info_command(app);
  add_export_command(app);
  add_plausibility_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {  // a usage error: one sentence and exit 2, as CLI conventions expect
    std::fprintf(stderr, "lenet-train: %s (see lenet-train %s--help)\n", e.what(),
                 app.get_subcommands().empty() ? "" : (app.get_subcommands().front()->get_name() + " ").c_str());
    return 2;
  } catch (const Interrupted& i) {
    std::fprintf(stderr, "lenet-train: interrupted; the run is saved in %s (continue it with --resume)\n",
                 i.checkpoint.c_str());
    return 130;
  } catch (const Error& e) {
    std::fprintf(stderr, "lenet-train: %s\n", e.what());
    return 1;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "lenet-train: out of memory\n");
    return 1;
  } catch (const std::exception& e) {  // never an abort: whatever escaped is said in one sentence
    std::fprintf(stderr, "lenet-train: %s\n", e.what());
    return 1;
  }
  return 0;
}

}  // namespace lenet
