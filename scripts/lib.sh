# Shared by the measurement scripts (source it): repository root as working folder, a Release build of the
# CLI as $R, and the demo's presets as $PRESETS.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dotnet build -c Release src/Reasoner.Cli >/dev/null
R="dotnet src/Reasoner.Cli/bin/Release/net10.0/reasoner.dll"
PRESETS=demo-add,demo-sub,demo-mul
