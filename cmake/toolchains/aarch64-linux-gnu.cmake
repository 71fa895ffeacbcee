# Cross build for 64-bit ARM Linux (a Raspberry Pi 3, 4 or 5 running a
# 64-bit OS) with Debian's cross compiler (g++-aarch64-linux-gnu); the tests
# run on this machine through qemu's user-mode emulator (qemu-user), which
# CTest and catch_discover_tests put in front of every test executable.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
# -L: where the emulated program finds the ARM C library and loader.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /usr/aarch64-linux-gnu)

# Libraries and headers for the target come from its sysroot only: this
# machine's x86-64 libraries (yaml-cpp, libpcap) must not be linked in. The
# parts that need them are left out of a cross build (see the top-level
# CMakeLists.txt); Catch2 v2 is header-only and found through Catch2_DIR.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# pkg-config must not answer with this machine's .pc files either.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")
