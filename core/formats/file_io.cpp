#include "core/formats/file_io.hpp"

#include <fcntl.h>   // open a folder to fsync it
#include <unistd.h>  // fsync

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <random>

#ifdef LENET_HAVE_ZLIB
#include <zlib.h>
#endif

#include "core/base/error.hpp"

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

std::vector<std::uint8_t> gunzip(const std::vector<std::uint8_t>& in, const std::string& path, std::size_t max_bytes,
                                 const SizeFromHeader& size_from_header) {
#ifdef LENET_HAVE_ZLIB
  if (in.size() > std::numeric_limits<uInt>::max())
    throw Error(path + " is a gzip file larger than 4 GiB; decompress it first");
  max_bytes = std::min(max_bytes, std::numeric_limits<std::size_t>::max() - 1);
  bool header_read = !size_from_header;
  bool bound_by_header = false;  // the header's size, not max_bytes, is the limit
  const auto too_large = [&] {
    return Error(path + " inflates to more than " + std::to_string(max_bytes) + " bytes" +
                 (bound_by_header ? ", the size its header describes" : "") +
                 "; refusing to read it (a corrupt or malicious gzip file?)");
  };
  InflateStream stream(path);
  z_stream& zs = stream.zs;
  zs.next_in = const_cast<Bytef*>(in.data());
  zs.avail_in = static_cast<uInt>(in.size());
  // The buffer never grows past max_bytes + 1: filling that last byte proves the limit is exceeded.
  std::vector<std::uint8_t> out(std::min(max_bytes, std::max<std::size_t>(in.size() * 4, 1 << 16)) + 1);
  std::size_t produced = 0;
  for (;;) {
    if (!header_read) {
      if (const std::optional<std::uint64_t> size = size_from_header(out.data(), produced)) {
        header_read = true;
        bound_by_header = *size <= max_bytes;
        if (bound_by_header) max_bytes = static_cast<std::size_t>(*size);
      }
    }
    if (produced > max_bytes) throw too_large();
    if (produced == out.size()) out.resize(std::min(out.size() * 2, max_bytes + 1));
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
  (void)size_from_header;
  throw Error(path + " is gzip-compressed, and this build has no zlib; decompress it first");
#endif
}

std::string folder_of(const std::string& path) {
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  return folder.empty() ? "." : folder.string();
}

// The rename is durable only once the folder's entry is on disk too.
void sync_folder_of(const std::string& path) {
  const int fd = ::open(folder_of(path).c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;  // best effort: the file itself is complete either way
  ::fsync(fd);
  ::close(fd);
}

// path.tmp-DIGITS files are what a writer killed mid-write leaves behind (a later write of the same
// path is the first moment anyone knows they are abandoned). Two live writers of one path are not
// supported: the file would be whichever renamed last anyway.
void remove_stale_temporaries(const std::string& path) {
  namespace fs = std::filesystem;
  const std::string prefix = fs::path(path).filename().string() + ".tmp-";
  std::error_code ec;
  for (fs::directory_iterator it(folder_of(path), ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0 &&
        std::all_of(name.begin() + prefix.size(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      std::error_code ignored;  // one that cannot be removed is left, as before
      fs::remove(it->path(), ignored);
    }
  }
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

std::vector<std::uint8_t> inflate_if_gzip(std::vector<std::uint8_t> bytes, const std::string& source,
                                          std::size_t max_inflated_bytes, const SizeFromHeader& size_from_header) {
  return is_gzip(bytes.data(), bytes.size()) ? gunzip(bytes, source, max_inflated_bytes, size_from_header) : bytes;
}

std::vector<std::uint8_t> read_file(const std::string& path, std::size_t max_inflated_bytes,
                                    const SizeFromHeader& size_from_header) {
  return inflate_if_gzip(read_file_raw(path), path, max_inflated_bytes, size_from_header);
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
  sync_folder_of(path);
  remove_stale_temporaries(path);
}

}  // namespace lenet
