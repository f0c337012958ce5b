#include "core/nn/spec.hpp"

#include <algorithm>
#include <cctype>

#include "core/base/error.hpp"
#include "core/base/text.hpp"

namespace lenet {

const std::map<std::string, std::string>& arch_presets() {
  static const std::map<std::string, std::string> presets = {
      // PyImageSearch / Deep Learning for Computer Vision, ch. 14 (Keras).
      {"lenet",
       "input(1,28,28) conv(20,5,same) relu maxpool(2) conv(50,5,same) relu maxpool(2) flatten dense(500) relu "
       "dense(10)"},
      // RoWe98's LeNet-5 (Keras): three same-padded convs, the third without pooling.
      {"lenet5-rowe98",
       "input(1,28,28) conv(6,5,same) relu maxpool(2) conv(16,5,same) relu maxpool(2) conv(32,5,same) relu flatten "
       "dense(200) relu dense(10)"},
      // Classic LeNet-5 as in "LeNet with TensorFlow": the 28x28 input padded to 32x32 (padding 2 on a
      // valid 5x5 conv is the same arithmetic), tanh, average pooling followed by a sigmoid.
      {"lenet5",
       "input(1,28,28) conv(6,5,2) tanh avgpool(2) sigmoid conv(16,5,valid) tanh avgpool(2) sigmoid "
       "conv(120,5,valid) tanh flatten dense(84) tanh dense(10)"},
      // The page's default network (this project's `web` recipe): LeNet's conv-pool pattern with
      // ReLU and a third, 3x3 stage instead of the wide dense layers. 91,594 parameters, twice the
      // first two stages' width of the first version (34,314), to learn the writing styles MNIST
      // lacks as well; shipped with F16 weights, so that the page stays within its download budget.
      {"lenet-web",
       "input(1,28,28) conv(32,5,same) relu maxpool(2) conv(64,5,same) relu maxpool(2) conv(64,3,valid) relu "
       "maxpool(2) flatten dense(10)"},
  };
  return presets;
}

std::string arch_preset_names() {
  return join_names(arch_presets(), [](const auto& preset) { return preset.first; });
}

namespace {

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

}  // namespace

// At most 9 digits: every value fits std::size_t (and int, for the CUDA path) before any check of size.
std::size_t parse_positive(const std::string& text, const std::string& token) {
  if (text.empty() || text.size() > 9 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) ||
      std::stoul(text) == 0)
    throw Error("architecture spec: '" + token + "' has '" + text + "' where a positive whole number belongs");
  return std::stoul(text);
}

namespace {

// Splits "name(a,b)" into name and args; a bare "name" has no args.
LayerSpec parse_token(const std::string& token) {
  LayerSpec spec;
  const std::size_t open = token.find('(');
  if (open == std::string::npos) {
    spec.kind = token;
  } else {
    if (token.back() != ')' || token.find('(', open + 1) != std::string::npos)
      throw Error("architecture spec: '" + token + "' is not of the form name or name(arg,...)");
    spec.kind = token.substr(0, open);
    std::string inner = token.substr(open + 1, token.size() - open - 2);
    std::size_t start = 0;
    for (;;) {
      const std::size_t comma = inner.find(',', start);
      spec.args.push_back(trim(inner.substr(start, comma - start)));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  if (spec.kind.empty()) throw Error("architecture spec: '" + token + "' has no layer name");
  return spec;
}

}  // namespace

ArchSpec parse_arch(std::string_view preset_or_spec) {
  const std::string text = trim(preset_or_spec);
  if (auto preset = arch_presets().find(text); preset != arch_presets().end()) return parse_arch(preset->second);
  if (text.find('(') == std::string::npos && text.find(' ') == std::string::npos) {
    throw Error("unknown architecture preset '" + text + "'; presets are " + arch_preset_names() +
                ", or give a spec such as 'input(1,28,28) conv(6,5,same) relu maxpool flatten dense(10)'");
  }
  // Tokens are separated by spaces outside parentheses (so "conv(6, 5)" is one token).
  std::vector<std::string> tokens;
  std::string current;
  int depth = 0;
  for (char c : text) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (depth < 0) throw Error("architecture spec: unbalanced ')' in '" + text + "'");
    if (std::isspace(static_cast<unsigned char>(c)) && depth == 0) {
      if (!current.empty()) tokens.push_back(current);
      current.clear();
    } else if (!std::isspace(static_cast<unsigned char>(c))) {
      current += c;
    }
  }
  if (depth != 0) throw Error("architecture spec: unbalanced '(' in '" + text + "'");
  if (!current.empty()) tokens.push_back(current);

  ArchSpec arch;
  if (tokens.empty()) throw Error("architecture spec is empty");
  const LayerSpec input = parse_token(tokens[0]);
  if (input.kind != "input" || input.args.size() != 3)
    throw Error("architecture spec must start with input(C,H,W), e.g. input(1,28,28); it starts with '" + tokens[0] +
                "'");
  for (const auto& a : input.args) arch.input.push_back(parse_positive(a, tokens[0]));
  for (std::size_t i = 1; i < tokens.size(); ++i) arch.layers.push_back(parse_token(tokens[i]));
  if (arch.layers.empty()) throw Error("architecture spec has no layers after " + tokens[0]);
  return arch;
}

std::string LayerSpec::to_string() const {
  std::string s = kind;
  if (!args.empty()) {
    s += '(';
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (i) s += ',';
      s += args[i];
    }
    s += ')';
  }
  return s;
}

std::string ArchSpec::to_string() const {
  std::string s = LayerSpec{"input", {std::to_string(input.at(0)), std::to_string(input.at(1)),
                                      std::to_string(input.at(2))}}.to_string();
  for (const auto& layer : layers) {
    s += ' ';
    s += layer.to_string();
  }
  return s;
}

}  // namespace lenet
