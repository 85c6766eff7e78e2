// Another program holding nearly all of the GPU's memory, for the out-of-memory fallback test
// (test_gpu.py): takes all the free memory but what a second process needs for its CUDA
// context plus LEAVE_MIB, prints "ready", and holds it until its stdin closes.
//
//     hog_gpu_memory [LEAVE_MIB]
#include <cuda_runtime.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char** argv) {
    const std::size_t leave = static_cast<std::size_t>(argc > 1 ? std::atol(argv[1]) : 16) << 20;
    if (cudaFree(nullptr) != cudaSuccess) {  // makes this process's context
        std::fprintf(stderr, "hog_gpu_memory: no CUDA device\n");
        return 2;
    }
    std::size_t free_bytes = 0, total_bytes = 0;
    cudaMemGetInfo(&free_bytes, &total_bytes);
    // What is in use now is about one context (on a GPU no one else uses): the next process
    // needs as much again before its first allocation.
    const std::size_t context_cost = total_bytes - free_bytes;
    std::vector<void*> blocks;
    constexpr std::size_t kBlock = std::size_t{256} << 20;
    for (std::size_t block = kBlock; block >= (std::size_t{2} << 20); block /= 2) {
        for (;;) {
            cudaMemGetInfo(&free_bytes, &total_bytes);
            if (free_bytes < context_cost + leave + block) break;
            void* pointer = nullptr;
            if (cudaMalloc(&pointer, block) != cudaSuccess) {
                cudaGetLastError();
                break;
            }
            blocks.push_back(pointer);
        }
    }
    cudaMemGetInfo(&free_bytes, &total_bytes);
    std::printf("ready: %zu MiB held, %zu MiB free, context %zu MiB\n", blocks.size() ? (total_bytes - free_bytes) >> 20 : 0,
                free_bytes >> 20, context_cost >> 20);
    std::fflush(stdout);
    while (std::getchar() != EOF) {
    }
    for (void* pointer : blocks) cudaFree(pointer);
}
