#include "llm/machine_limits.h"

#include <sched.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>

namespace ocrfix::llm {

namespace {

// Physical cores among the CPUs this process may run on: CPUs with the same
// topology/core_cpus_list are hyperthreads of one core. 0 when the topology is unreadable.
int physical_cores_in_affinity() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) != 0) return 0;
    std::set<std::string> cores;
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
        if (!CPU_ISSET(cpu, &set)) continue;
        const std::string base = "/sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/topology/";
        std::ifstream siblings(base + "core_cpus_list");
        if (!siblings) siblings.open(base + "thread_siblings_list");  // kernels before 5.7
        std::string line;
        if (!std::getline(siblings, line)) return CPU_COUNT(&set);  // no topology: count CPUs
        cores.insert(line);
    }
    return static_cast<int>(cores.size());
}

// The folder of this process's cgroup for `controller` ("cpu", "memory"): cgroup v2's
// unified hierarchy when the process is in one, else v1's hierarchy of that controller.
// "" when there is none.
std::string cgroup_folder(const std::string& controller) {
    std::ifstream file("/proc/self/cgroup");
    std::string line, v1, v2;
    bool has_v2 = false;
    while (std::getline(file, line)) {  // "ID:CONTROLLERS:PATH"
        const auto first = line.find(':'), second = line.find(':', first + 1);
        if (first == std::string::npos || second == std::string::npos) continue;
        const std::string controllers = line.substr(first + 1, second - first - 1), path = line.substr(second + 1);
        if (controllers.empty()) {
            has_v2 = true;
            v2 = path;
        }
        std::stringstream list(controllers);
        for (std::string name; std::getline(list, name, ',');)
            if (name == controller) v1 = path;
    }
    if (!v1.empty()) {
        // Inside a container without a cgroup namespace the path names the host's group, which
        // is mounted at the hierarchy's root.
        const std::string folder = "/sys/fs/cgroup/" + controller + v1;
        if (std::ifstream(folder + "/cgroup.procs")) return folder;
        return "/sys/fs/cgroup/" + controller;
    }
    if (has_v2)
        for (const char* root : {"/sys/fs/cgroup", "/sys/fs/cgroup/unified"})
            if (std::ifstream(std::string(root) + v2 + "/cgroup.controllers")) return root + v2;
    return "";
}

// CPUs a cgroup quota allows (v2 cpu.max "200000 100000", v1 cfs_quota_us/cfs_period_us: 2),
// 0 when unlimited.
int cgroup_cpu_limit() {
    const std::string folder = cgroup_folder("cpu");
    if (folder.empty()) return 0;
    std::string quota;
    double period = 0;
    if (std::ifstream v2(folder + "/cpu.max"); v2) {
        if (!(v2 >> quota >> period)) return 0;
    } else {
        std::ifstream(folder + "/cpu.cfs_quota_us") >> quota;
        std::ifstream(folder + "/cpu.cfs_period_us") >> period;
    }
    if (quota.empty() || quota == "max" || quota[0] == '-' || period <= 0) return 0;
    try {
        return std::max(1, static_cast<int>(std::ceil(std::stod(quota) / period)));
    } catch (...) {
        return 0;
    }
}

std::uint64_t read_number(const std::string& path) {
    std::ifstream file(path);
    std::string text;
    if (!(file >> text) || text == "max") return 0;
    try {
        return std::stoull(text);
    } catch (...) {
        return 0;
    }
}

}  // namespace

int usable_cores() {
    static const int cores = [] {
        int count = physical_cores_in_affinity();
        if (count <= 0) count = static_cast<int>(std::thread::hardware_concurrency());
        if (const int limit = cgroup_cpu_limit(); limit > 0) count = std::min(count, limit);
        return std::max(1, count);
    }();
    return cores;
}

std::uint64_t usable_memory() {
    std::uint64_t available = 0;
    std::ifstream meminfo("/proc/meminfo");
    std::string key, unit;
    std::uint64_t kib = 0;
    while (meminfo >> key >> kib >> unit)
        if (key == "MemAvailable:") available = kib * 1024;
    std::string folder = cgroup_folder("memory");
    if (folder.empty()) return available;
    // The room left under each group's limit from this one up to the root (v2 puts limits on
    // parents too, e.g. a systemd slice); v1 reports the effective limit in the group itself.
    constexpr std::uint64_t kNoLimit = ~std::uint64_t{0};
    std::uint64_t room = kNoLimit;
    for (int level = 0; level < 64 && folder.size() > std::string("/sys/fs/cgroup").size(); ++level) {
        std::uint64_t limit = read_number(folder + "/memory.max");   // v2
        std::uint64_t usage = read_number(folder + "/memory.current");
        if (limit == 0) {                                            // v1; "unlimited" is a huge number
            limit = read_number(folder + "/memory.limit_in_bytes");
            usage = read_number(folder + "/memory.usage_in_bytes");
        }
        if (limit > 0 && limit < (std::uint64_t{1} << 60)) {
            const std::uint64_t left = limit > usage ? limit - usage : 0;
            room = std::min(room, left);
        }
        folder = folder.substr(0, folder.rfind('/'));
    }
    if (room == kNoLimit) return available;
    return available == 0 ? room : std::min(available, room);
}

}  // namespace ocrfix::llm
