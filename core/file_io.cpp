#include "file_io.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>

#ifdef LENET_HAVE_ZLIB
#include <zlib.h>
#endif

#include "error.hpp"

namespace lenet {

namespace {

std::string os_error() { return std::strerror(errno); }

bool is_gzip(const std::vector<std::uint8_t>& bytes) {
  return bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
}

std::vector<std::uint8_t> inflate_gzip(const std::vector<std::uint8_t>& in, const std::string& path) {
#ifdef LENET_HAVE_ZLIB
  constexpr std::size_t max_inflated_size = std::size_t{1} << 30;  // guards against gzip bombs
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) throw Error(path + ": zlib could not start inflating");
  std::vector<std::uint8_t> out(std::max<std::size_t>(in.size() * 4, 1 << 16));
  zs.next_in = const_cast<Bytef*>(in.data());
  zs.avail_in = static_cast<uInt>(in.size());
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    if (zs.total_out == out.size()) {
      if (out.size() >= max_inflated_size) {
        inflateEnd(&zs);
        throw Error(path + ": inflates to more than 1 GiB; refusing to read it");
      }
      out.resize(std::min(out.size() * 2, max_inflated_size));
    }
    zs.next_out = out.data() + zs.total_out;
    zs.avail_out = static_cast<uInt>(out.size() - zs.total_out);
    status = inflate(&zs, Z_NO_FLUSH);
    if (status == Z_BUF_ERROR && zs.avail_in == 0) status = Z_DATA_ERROR;  // input ended early
    if (status != Z_OK && status != Z_STREAM_END) {
      const std::string why = zs.msg ? zs.msg : "truncated or corrupt data";
      inflateEnd(&zs);
      throw Error(path + ": is not a valid gzip file (" + why + ")");
    }
  }
  out.resize(zs.total_out);
  inflateEnd(&zs);
  return out;
#else
  (void)in;
  throw Error(path + " is gzip-compressed, and this build has no zlib; decompress it first");
#endif
}

}  // namespace

std::vector<std::uint8_t> read_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw Error(path + ": cannot open (" + os_error() + ")");
  std::vector<std::uint8_t> bytes;
  std::uint8_t chunk[1 << 16];
  std::size_t got;
  while ((got = std::fread(chunk, 1, sizeof chunk, f)) > 0) bytes.insert(bytes.end(), chunk, chunk + got);
  const bool failed = std::ferror(f);
  std::fclose(f);
  if (failed) throw Error(path + ": read error");
  return is_gzip(bytes) ? inflate_gzip(bytes, path) : bytes;
}

void write_file_atomic(const std::string& path, const std::uint8_t* data, std::size_t size) {
  std::random_device entropy;
  const std::string tmp = path + ".tmp-" + std::to_string(entropy());
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) throw Error(path + ": cannot write (" + os_error() + ")");
  const bool written = std::fwrite(data, 1, size, f) == size;
  const bool closed = std::fclose(f) == 0;
  if (!written || !closed) {
    std::remove(tmp.c_str());
    throw Error(path + ": writing failed (disk full?)");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = os_error();
    std::remove(tmp.c_str());
    throw Error(path + ": cannot replace the file (" + why + ")");
  }
}

}  // namespace lenet
