#include "native_trainer/run/train_config.hpp"

#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/base/error.hpp"
#include "core/nn/init.hpp"
#include "native_trainer/run/data_files.hpp"
#include "native_trainer/report/text_format.hpp"

namespace lenet {

namespace {
const char* validation_name(Validation v) {
  switch (v) {
    case Validation::test_set: return "test_set";
    case Validation::fraction: return "fraction";
    case Validation::last_n: return "last_n";
    case Validation::resplit: return "resplit";
  }
  return "";
}

// "runs/a/", "runs/a" and "/abs/runs/a" all name "a"; "" stays "".
std::string last_name(const std::string& path) {
  std::filesystem::path p = std::filesystem::path(path).lexically_normal();
  if (!p.has_filename()) p = p.parent_path();
  return p.filename().string();
}
}  // namespace

std::string TrainConfig::checkpoint_path() const {
  const std::filesystem::path p(out);
  return (p.parent_path() / (p.stem().string() + ".checkpoint.safetensors")).string();
}

TrainConfig TrainConfig::without_paths() const {
  TrainConfig c = *this;
  c.data = dataset_name(data);
  c.out = last_name(out);
  c.report_dir = last_name(report_dir);
  return c;
}

std::map<std::string, std::string> TrainConfig::to_metadata() const {
  const nlohmann::json j = {{"recipe", recipe},
                            {"arch", arch},
                            {"optimizer", optimizer_name(optimizer)},
                            {"learning_rate", learning_rate},
                            {"momentum", momentum},
                            {"init", init_name(init)},
                            {"batch_size", batch_size},
                            {"epochs", epochs},
                            {"seed", std::to_string(seed)},  // as text: JSON numbers lose 64-bit precision elsewhere
                            {"threads", threads},
                            {"norm_mean", norm_mean},
                            {"norm_std", norm_std},
                            {"augment", augment},
                            {"drawn", drawn},
                            {"lr_schedule", lr_schedule_name(lr_schedule)},
                            {"validation", validation_name(validation)},
                            {"validation_amount", validation_amount},
                            {"data", data},
                            {"out", out},
                            {"checkpoint_every", checkpoint_every},
                            {"report", report_dir},
                            {"keep_checkpoint", keep_checkpoint},
                            {"weight_decay", weight_decay},
                            {"early_stopping", early_stopping},
                            {"lr_step", lr_step},
                            {"lr_patience", lr_patience},
                            {"train_images", train_images},
                            {"test_images", test_images}};
  return {{"train_config", j.dump()}};
}

TrainConfig TrainConfig::from_metadata(const std::map<std::string, std::string>& metadata, const std::string& source) {
  const auto it = metadata.find("train_config");
  if (it == metadata.end())
    throw Error(source + ": not a checkpoint (no train_config in its metadata); --resume takes a .checkpoint.safetensors");
  try {
    const nlohmann::json j = nlohmann::json::parse(it->second);
    TrainConfig c;
    c.recipe = j.at("recipe").get<std::string>();
    c.arch = j.at("arch").get<std::string>();
    c.optimizer = optimizer_from_name(j.at("optimizer").get<std::string>());
    c.learning_rate = j.at("learning_rate").get<float>();
    c.momentum = j.at("momentum").get<float>();
    c.init = init_from_name(j.value("init", std::string("glorot-uniform")));  // older checkpoints: Keras' default
    c.batch_size = j.at("batch_size").get<std::size_t>();
    c.epochs = j.at("epochs").get<std::size_t>();
    c.seed = std::stoull(j.at("seed").get<std::string>());
    c.threads = j.at("threads").get<std::size_t>();
    c.norm_mean = j.value("norm_mean", 0.0f);
    c.norm_std = j.value("norm_std", 1.0f);
    c.augment = j.value("augment", false);
    c.drawn = j.value("drawn", 0.0f);
    c.lr_schedule = lr_schedule_from_name(j.value("lr_schedule", std::string("constant")));
    const std::string v = j.at("validation").get<std::string>();
    c.validation = v == "test_set" ? Validation::test_set
                   : v == "last_n" ? Validation::last_n
                   : v == "resplit" ? Validation::resplit
                                    : Validation::fraction;
    c.validation_amount = j.at("validation_amount").get<double>();
    c.data = j.at("data").get<std::string>();
    c.out = j.at("out").get<std::string>();
    c.checkpoint_every = j.at("checkpoint_every").get<std::size_t>();
    c.report_dir = j.value("report", std::string());
    c.keep_checkpoint = j.value("keep_checkpoint", false);
    c.weight_decay = j.value("weight_decay", 0.0f);  // files from before these settings: none of them
    c.early_stopping = j.value("early_stopping", std::size_t{0});
    c.lr_step = j.value("lr_step", std::size_t{0});
    c.lr_patience = j.value("lr_patience", std::size_t{5});
    c.train_images = j.at("train_images").get<std::size_t>();
    c.test_images = j.at("test_images").get<std::size_t>();
    return c;
  } catch (const std::exception& e) {
    throw Error(source + ": its train_config metadata is damaged (" + e.what() + ")");
  }
}

std::vector<std::pair<std::string, std::string>> settings_as_text(const std::string& train_config_json) {
  std::vector<std::pair<std::string, std::string>> lines;
  const nlohmann::json settings = nlohmann::json::parse(train_config_json);
  for (const auto& [key, value] : settings.items()) {
    lines.emplace_back(key, value.is_string()         ? value.get<std::string>()
                            : value.is_number_float() ? short_number(value.get<double>())
                                                      : value.dump());
  }
  return lines;
}

std::string history_to_json(const std::vector<EpochRecord>& history) {
  nlohmann::json j = nlohmann::json::array();
  for (const EpochRecord& r : history)
    j.push_back({{"epoch", r.epoch}, {"loss", r.loss}, {"accuracy", r.accuracy}, {"val_loss", r.val_loss},
                 {"val_accuracy", r.val_accuracy}, {"seconds", r.seconds}, {"images_per_second", r.images_per_second}});
  return j.dump();
}

std::vector<EpochRecord> history_from_json(const std::string& text, const std::string& source) {
  std::vector<EpochRecord> out;
  try {
    for (const auto& e : nlohmann::json::parse(text))
      out.push_back({e.at("epoch").get<std::size_t>(), e.at("loss").get<double>(), e.at("accuracy").get<double>(),
                     e.at("val_loss").get<double>(), e.at("val_accuracy").get<double>(), e.at("seconds").get<double>(),
                     e.at("images_per_second").get<double>()});
  } catch (const std::exception& e) {
    throw Error(source + ": its training history metadata is damaged (" + e.what() + ")");
  }
  return out;
}

}  // namespace lenet
