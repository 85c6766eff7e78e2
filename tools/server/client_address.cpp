#include "client_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

namespace ocrfix::server {

std::string client_key(const sockaddr_storage& peer) {
    char text[INET6_ADDRSTRLEN] = {};
    if (peer.ss_family == AF_INET) {
        const auto& v4 = reinterpret_cast<const sockaddr_in&>(peer);
        ::inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
        return text;
    }
    if (peer.ss_family != AF_INET6) return {};
    const in6_addr& address = reinterpret_cast<const sockaddr_in6&>(peer).sin6_addr;
    if (IN6_IS_ADDR_V4MAPPED(&address)) {
        in_addr v4{};
        std::memcpy(&v4, address.s6_addr + 12, sizeof v4);
        ::inet_ntop(AF_INET, &v4, text, sizeof text);
        return text;
    }
    in6_addr prefix{};
    std::memcpy(prefix.s6_addr, address.s6_addr, 8);  // the first 64 bits; the host's part zero
    ::inet_ntop(AF_INET6, &prefix, text, sizeof text);
    return std::string(text) + "/64";
}

}  // namespace ocrfix::server
