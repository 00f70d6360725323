# Sourced by the bench scripts: publishes the `lanscatter` command into a folder the way they run it.
# BUILD=aot (the default): the NativeAOT build README.md tells servers to install (needs gcc or
# clang; installed here when missing). BUILD=r2r: the self-contained composite ReadyToRun publish,
# the install for machines without a C toolchain. BUILD=jit (or R2R=0, as these scripts took before):
# a plain build.
publish_cli() {  # repository, output folder
  local repo=$1 out=$2 build=${BUILD:-aot}
  [ "${R2R:-}" = 0 ] && build=jit
  case "$build" in
    aot)
      { command -v gcc >/dev/null 2>&1 || command -v clang >/dev/null 2>&1; } \
        || { apt-get update -qq >/dev/null && apt-get install -y -qq gcc libc6-dev >/dev/null; }
      dotnet publish "$repo/src/LanScatter.Cli" -c Release -r linux-x64 -p:NativeAot=true -o "$out" >/dev/null ;;
    r2r)
      # Precompiled images of an earlier publish of another kind (composite or not) would be reused as they are.
      rm -rf "$repo"/src/LanScatter.Cli/obj/Release/*/linux-x64/R2R
      dotnet publish "$repo/src/LanScatter.Cli" -c Release -r linux-x64 --self-contained true -p:PublishReadyToRun=true \
        -p:PublishReadyToRunComposite=true -o "$out" >/dev/null ;;
    jit)
      dotnet build "$repo/src/LanScatter.Cli" -c Release -o "$out" >/dev/null ;;
    *)
      echo "BUILD must be aot, r2r or jit (not '$build')" >&2; return 1 ;;
  esac
}
