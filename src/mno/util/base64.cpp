// Strict base64 codec; see base64.hpp for why strictness matters here.
#include "mno/util/base64.hpp"

#include <array>

namespace mno {
namespace {
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<int, 256> make_table() {
  std::array<int, 256> t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(kAlphabet[i])] = i;
  return t;
}
constexpr auto kTable = make_table();
}  // namespace

std::string base64_encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned n = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
    out += kAlphabet[n >> 18 & 63];
    out += kAlphabet[n >> 12 & 63];
    out += kAlphabet[n >> 6 & 63];
    out += kAlphabet[n & 63];
  }
  if (size_t rest = in.size() - i; rest) {
    unsigned n = (unsigned char)in[i] << 16 | (rest == 2 ? (unsigned char)in[i + 1] << 8 : 0);
    out += kAlphabet[n >> 18 & 63];
    out += kAlphabet[n >> 12 & 63];
    out += rest == 2 ? kAlphabet[n >> 6 & 63] : '=';
    out += '=';
  }
  return out;
}

Result<std::string> base64_decode(std::string_view text, bool allow_whitespace) {
  // One pass (a SAML response is decoded on every sign-in): whitespace is skipped as it comes, each
  // quad is decoded into a buffer sized once, and padding may only close the last quad.
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t o = 0;
  int v[4];
  int k = 0, pad = 0;
  bool ended = false;  // a padded quad was decoded: only whitespace may follow
  for (char c : text) {
    if (c == '\r' || c == '\n' || c == ' ' || c == '\t') {
      if (!allow_whitespace) return make_error("base64.invalid", "whitespace inside base64");
      continue;
    }
    if (ended) return make_error("base64.invalid", "data after padding");
    if (c == '=') {
      if (k < 2) return make_error("base64.invalid", "misplaced padding");
      v[k++] = 0;
      ++pad;
    } else {
      if (pad) return make_error("base64.invalid", "data after padding");
      v[k] = kTable[static_cast<unsigned char>(c)];
      if (v[k] < 0) return make_error("base64.invalid", "character outside the base64 alphabet");
      ++k;
    }
    if (k < 4) continue;
    unsigned n = static_cast<unsigned>(v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3]);
    if (pad == 2 && (n & 0xFFFF)) return make_error("base64.invalid", "non-canonical trailing bits");
    if (pad == 1 && (n & 0xFF)) return make_error("base64.invalid", "non-canonical trailing bits");
    out[o++] = static_cast<char>(n >> 16 & 0xFF);
    if (pad < 2) out[o++] = static_cast<char>(n >> 8 & 0xFF);
    if (pad < 1) out[o++] = static_cast<char>(n & 0xFF);
    ended = pad > 0;
    k = 0;
  }
  if (k != 0) return make_error("base64.invalid", "base64 length is not a multiple of 4");
  out.resize(o);
  return out;
}

}  // namespace mno
