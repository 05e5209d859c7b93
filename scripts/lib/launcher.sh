# Sourced by scripts/build and scripts/test: when ccache is installed (it is not a dependency),
# compiles go through it, so an unchanged file rebuilt in another clone or build folder is a
# cache hit. Sets `launcher` to the CMake flags (empty without ccache).
launcher=()
if command -v ccache >/dev/null 2>&1; then
  export CCACHE_BASEDIR="$PWD"
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
