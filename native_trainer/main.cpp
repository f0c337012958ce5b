// lenet-train: train LeNet on MNIST and write weights for the page; evaluate, inspect, predict.
#include "native_trainer/commands/cli.hpp"

int main(int argc, char** argv) { return lenet::run_cli(argc, argv); }
