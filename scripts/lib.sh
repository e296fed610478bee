# Shared by the measurement scripts (source it): repository root as working folder, a Release build of the
# CLI as $R, and the demo's default presets as $PRESETS (the scripts write the demo's terse digit CoT).
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dotnet build -c Release src/Reasoner.Cli >/dev/null
R="dotnet src/Reasoner.Cli/bin/Release/net10.0/reasoner.dll"
PRESETS=add-3d,sub-3d,mul-2x2  # DemoOptions.DefaultPresets
