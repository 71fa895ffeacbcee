// Under AddressSanitizer (the asan preset), the GUI tests run without
// LeakSanitizer. Qt and fontconfig keep caches for the life of the process,
// and the tests' QApplication is never destroyed (destroying it at exit
// crashes on the offscreen platform), so LeakSanitizer reports allocations
// inside libQt6* and libfontconfig at exit that no netstep code made.
// AddressSanitizer's other checks (use after free, overflows) and UBSan
// stay on, and every other test keeps leak checking.
#if defined(NETSTEP_SANITIZE)
extern "C" const char* __asan_default_options();
extern "C" const char* __asan_default_options() { return "detect_leaks=0"; }
#endif
