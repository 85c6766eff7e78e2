// Which connections the per-client limit counts together (client_address.h): built from real
// socket addresses, as getpeername() fills them.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/un.h>

#include "client_address.h"

namespace {

using ocrfix::server::client_key;

sockaddr_storage v4(const char* text) {
    sockaddr_storage storage{};
    auto& address = reinterpret_cast<sockaddr_in&>(storage);
    address.sin_family = AF_INET;
    address.sin_port = htons(40000);
    EXPECT_EQ(::inet_pton(AF_INET, text, &address.sin_addr), 1) << text;
    return storage;
}

sockaddr_storage v6(const char* text) {
    sockaddr_storage storage{};
    auto& address = reinterpret_cast<sockaddr_in6&>(storage);
    address.sin6_family = AF_INET6;
    address.sin6_port = htons(40000);
    EXPECT_EQ(::inet_pton(AF_INET6, text, &address.sin6_addr), 1) << text;
    return storage;
}

TEST(ClientKey, Ipv4AddressesAreClientsOfTheirOwn) {
    EXPECT_EQ(client_key(v4("127.0.0.2")), "127.0.0.2");
    EXPECT_NE(client_key(v4("192.0.2.1")), client_key(v4("192.0.2.2")));
}

TEST(ClientKey, AnIpv4AddressIsOneClientOnADualStackSocketToo) {
    EXPECT_EQ(client_key(v6("::ffff:192.0.2.7")), client_key(v4("192.0.2.7")));
}

TEST(ClientKey, Ipv6AddressesInOneSlash64AreOneClient) {
    // One host may take any address of its /64: changing the lower 64 bits is no new client.
    const std::string key = client_key(v6("2001:db8:1:2::1"));
    EXPECT_EQ(key, "2001:db8:1:2::/64");
    EXPECT_EQ(client_key(v6("2001:db8:1:2:ffff:ffff:ffff:fffe")), key);
    EXPECT_EQ(client_key(v6("2001:db8:1:2:8a3c:11:9:4")), key);
    // Another /64 is another client.
    EXPECT_NE(client_key(v6("2001:db8:1:3::1")), key);
    EXPECT_EQ(client_key(v6("::1")), "::/64");
}

TEST(ClientKey, AnAddressOfAnotherFamilyIsOneKey) {
    sockaddr_storage storage{};
    storage.ss_family = AF_UNIX;
    EXPECT_EQ(client_key(storage), "");
    storage.ss_family = AF_UNSPEC;
    EXPECT_EQ(client_key(storage), "");
}

}  // namespace
