# Sourced by scripts/build and scripts/test: when ccache is installed (it is not a dependency),
# compiles go through it, so an unchanged file rebuilt in another clone or build folder is a
# cache hit. Sets `launcher` to the CMake flags (empty without ccache).
launcher=()
if command -v ccache >/dev/null 2>&1; then
  export CCACHE_BASEDIR="$PWD"
  # The test binaries use precompiled headers, which ccache caches only with this sloppiness.
  export CCACHE_SLOPPINESS="pch_defines,time_macros,include_file_mtime,include_file_ctime"
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
