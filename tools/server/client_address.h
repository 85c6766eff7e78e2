// Which client a connection comes from, as the per-client connection limit counts them.
#pragma once

#include <sys/socket.h>

#include <string>

namespace ocrfix::server {

// The key under which a peer's connections are counted:
// - an IPv4 address as itself ("127.0.0.2"), also when it reaches an IPv6 socket mapped
//   (::ffff:127.0.0.2), so a dual-stack listener counts it once;
// - an IPv6 address by its /64 ("2001:db8:1:2::/64"): a host is given a /64 and may use
//   any of its 2^64 addresses, so counting single addresses would let one client past the limit;
// - anything else (a Unix socket) as "".
std::string client_key(const sockaddr_storage& peer);

}  // namespace ocrfix::server
