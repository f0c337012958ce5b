#include "file_io.hpp"

#include <unistd.h>  // fsync

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>

#ifdef LENET_HAVE_ZLIB
#include <zlib.h>
#endif

#include "error.hpp"

namespace lenet {

namespace {

std::string os_error(int err) { return std::strerror(err); }

bool is_gzip(const std::uint8_t* bytes, std::size_t size) {
  return size >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
}

#ifdef LENET_HAVE_ZLIB
struct InflateStream {
  z_stream zs{};
  explicit InflateStream(const std::string& path) {
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) throw Error(path + ": zlib could not start inflating");
  }
  ~InflateStream() { inflateEnd(&zs); }
  InflateStream(const InflateStream&) = delete;
  InflateStream& operator=(const InflateStream&) = delete;
};
#endif

std::vector<std::uint8_t> gunzip(const std::vector<std::uint8_t>& in, const std::string& path,
                                 std::size_t max_bytes) {
#ifdef LENET_HAVE_ZLIB
  if (in.size() > std::numeric_limits<uInt>::max())
    throw Error(path + " is a gzip file larger than 4 GiB; decompress it first");
  max_bytes = std::min(max_bytes, std::numeric_limits<std::size_t>::max() - 1);
  const auto too_large = [&] {
    return Error(path + " inflates to more than " + std::to_string(max_bytes) +
                 " bytes; refusing to read it (a corrupt or malicious gzip file?)");
  };
  InflateStream stream(path);
  z_stream& zs = stream.zs;
  zs.next_in = const_cast<Bytef*>(in.data());
  zs.avail_in = static_cast<uInt>(in.size());
  // The buffer never grows past max_bytes + 1: filling that last byte proves the limit is exceeded.
  std::vector<std::uint8_t> out(std::min(max_bytes, std::max<std::size_t>(in.size() * 4, 1 << 16)) + 1);
  std::size_t produced = 0;
  for (;;) {
    if (produced == out.size()) {
      if (produced > max_bytes) throw too_large();
      out.resize(std::min(out.size() * 2, max_bytes + 1));
    }
    zs.next_out = out.data() + produced;
    zs.avail_out = static_cast<uInt>(std::min<std::size_t>(out.size() - produced, std::numeric_limits<uInt>::max()));
    const int status = inflate(&zs, Z_NO_FLUSH);
    produced = static_cast<std::size_t>(zs.next_out - out.data());
    if (status == Z_OK) continue;
    if (status == Z_STREAM_END) {
      if (zs.avail_in == 0) break;
      // Concatenated members (cat a.gz b.gz) are one valid gzip file; anything else is not.
      if (!is_gzip(zs.next_in, zs.avail_in))
        throw Error(path + " has " + std::to_string(zs.avail_in) + " bytes of trailing garbage after its gzip data");
      inflateReset(&zs);
      continue;
    }
    if (status == Z_BUF_ERROR && zs.avail_in == 0)
      throw Error(path + " is a truncated gzip file (the compressed data ends early)");
    if (status == Z_MEM_ERROR) throw Error(path + ": out of memory while inflating");
    throw Error(path + " is not a valid gzip file (" + (zs.msg ? zs.msg : "corrupt data") + ")");
  }
  if (produced > max_bytes) throw too_large();
  out.resize(produced);
  return out;
#else
  (void)in;
  (void)max_bytes;
  throw Error(path + " is gzip-compressed, and this build has no zlib; decompress it first");
#endif
}

}  // namespace

std::vector<std::uint8_t> read_file_raw(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw Error(path + ": cannot open (" + os_error(errno) + ")");
  std::vector<std::uint8_t> bytes;
  std::size_t used = 0;
  int err = 0;
  for (;;) {
    if (used == bytes.size()) bytes.resize(std::max<std::size_t>(bytes.size() * 2, 1 << 16));
    const std::size_t wanted = bytes.size() - used;
    const std::size_t got = std::fread(bytes.data() + used, 1, wanted, f);
    used += got;
    if (got < wanted) {
      if (std::ferror(f)) err = errno ? errno : EIO;
      break;
    }
  }
  std::fclose(f);
  if (err) throw Error(path + ": cannot read (" + os_error(err) + ")");
  bytes.resize(used);
  return bytes;
}

std::vector<std::uint8_t> read_file(const std::string& path, std::size_t max_inflated_bytes) {
  std::vector<std::uint8_t> bytes = read_file_raw(path);
  return is_gzip(bytes.data(), bytes.size()) ? gunzip(bytes, path, max_inflated_bytes) : bytes;
}

void write_file_atomic(const std::string& path, const std::uint8_t* data, std::size_t size) {
  std::random_device entropy;
  std::string tmp;
  std::FILE* f = nullptr;
  // "x" (exclusive) never opens a file that is already there, e.g. another writer's temporary.
  for (int attempt = 0; attempt < 8 && !f; ++attempt) {
    tmp = path + ".tmp-" + std::to_string(entropy()) + std::to_string(entropy());
    f = std::fopen(tmp.c_str(), "wbx");
    if (!f && errno != EEXIST) break;
  }
  if (!f) throw Error(path + ": cannot write (" + os_error(errno) + ")");
  int err = 0;
  if (size && std::fwrite(data, 1, size, f) != size) err = errno ? errno : EIO;
  // The data must be on disk before the rename makes it the file at path.
  if (!err && (std::fflush(f) != 0 || fsync(fileno(f)) != 0)) err = errno ? errno : EIO;
  if (std::fclose(f) != 0 && !err) err = errno ? errno : EIO;
  if (!err && std::rename(tmp.c_str(), path.c_str()) != 0) err = errno;
  if (err) {
    std::remove(tmp.c_str());
    throw Error(path + ": cannot write (" + os_error(err) + ")");
  }
}

}  // namespace lenet
