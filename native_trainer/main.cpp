// lenet-train: train LeNet on MNIST and write weights for the page; evaluate, inspect, predict.
#include <cstdio>

#include "commands.hpp"
#include "core/error.hpp"
#include "training_run.hpp"

int main(int argc, char** argv) {
  CLI::App app{"lenet-train: train LeNet on MNIST (CPU), evaluate and inspect models.\n"
               "Weights are safetensors with PyTorch's parameter names; the web page loads them as they are."};
  app.require_subcommand(1);
  app.get_formatter()->column_width(34);
  lenet::add_train_command(app);
  lenet::add_eval_command(app);
  lenet::add_predict_command(app);
  lenet::add_eval_drawings_command(app);
  lenet::add_trace_command(app);
  lenet::add_info_command(app);
  lenet::add_export_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const lenet::Interrupted& i) {
    std::fprintf(stderr, "lenet-train: interrupted; the run is saved in %s (continue it with --resume)\n",
                 i.checkpoint.c_str());
    return 130;
  } catch (const lenet::Error& e) {
    std::fprintf(stderr, "lenet-train: %s\n", e.what());
    return 1;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "lenet-train: out of memory\n");
    return 1;
  }
  return 0;
}
