#Requires -Version 5.1
<#
.SYNOPSIS
    Builds LanScatter, runs its tests and stages the PowerShell module.
.DESCRIPTION
    Build  : dotnet build of the solution.
    Test   : the xunit suite (dotnet test), then Package (which stages), then the Pester tests (tests/Pester) in this PowerShell against the
             staged module. Pester 5.7.1 is downloaded from NuGet into artifacts/tools when missing. A failure stops the build.
    Stage  : publishes the cmdlet assembly for netstandard2.0 (Windows PowerShell 5.1) and net8.0 (PowerShell 7.4+)
             into artifacts/module/LanScatter, with the manifest (version stamped from Directory.Build.props) and the
             help (en-US: MAML generated from the cmdlets' doc comments, about_LanScatter).
    Package: Stage, then a .nupkg of the staged module in artifacts/package (PSResourceGet's Compress-PSResource), to
             publish to a repository or a file share and install with Install-PSResource.
    All    : Build, Stage, Test.
    Needs only the .NET SDK: `dotnet tool restore` brings pwsh (the repository's tool manifest), then
    `dotnet pwsh ./build.ps1 -Task Test`.
.EXAMPLE
    ./build.ps1 -Task All
.EXAMPLE
    Import-Module ./artifacts/module/LanScatter; Start-LsPeer -Path D:\data -Master srv01 -Once -Wait
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Stage', 'Package', 'All')]
    [string] $Task = 'All',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$staged = Join-Path $root 'artifacts/module/LanScatter'
$packages = Join-Path $root 'artifacts/package'

function Invoke-Dotnet {
    # To the host, not the output: functions here return values (Get-Pester's path).
    & dotnet @args | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

function Get-ProductVersion {
    $props = [xml](Get-Content -Raw -LiteralPath (Join-Path $root 'Directory.Build.props'))
    $version = $props.Project.PropertyGroup.Version | Where-Object { $_ } | Select-Object -First 1
    if (-not $version) { throw 'Directory.Build.props has no <Version>.' }
    return $version
}

function Invoke-Build { Invoke-Dotnet build (Join-Path $root 'LanScatter.sln') -c $Configuration }

function Invoke-Stage {
    if (Test-Path -LiteralPath $staged) { Remove-Item -LiteralPath $staged -Recurse -Force }
    $project = Join-Path $root 'src/LanScatter.PowerShell/LanScatter.PowerShell.csproj'
    foreach ($framework in 'netstandard2.0', 'net8.0') {
        Invoke-Dotnet publish $project -c $Configuration -f $framework -o (Join-Path $staged "bin/$framework")
        # PowerShell itself provides System.Management.Automation; never ship a copy.
        Get-ChildItem -LiteralPath (Join-Path $staged "bin/$framework") -Filter 'System.Management.Automation.dll' | Remove-Item
    }
    foreach ($file in 'LanScatter.psm1', 'LanScatter.Format.ps1xml') {
        Copy-Item -LiteralPath (Join-Path $root "module/$file") -Destination $staged
    }
    $version = Get-ProductVersion
    $manifest = Get-Content -Raw -LiteralPath (Join-Path $root 'module/LanScatter.psd1')
    $manifest = $manifest -replace "ModuleVersion\s*=\s*'[^']*'", "ModuleVersion        = '$version'"
    Set-Content -LiteralPath (Join-Path $staged 'LanScatter.psd1') -Value $manifest -Encoding UTF8
    Invoke-HelpStage
    Write-Host "Staged LanScatter $version at $staged"
}

# Get-Help text: the cmdlets' MAML, generated from their doc comments in a child PowerShell (it
# imports the staged module, which must not stay loaded here), and the about_ topic.
function Invoke-HelpStage {
    $help = Join-Path $staged 'en-US'
    New-Item -ItemType Directory -Path $help -Force | Out-Null
    Copy-Item -Path (Join-Path $root 'module/en-US/*') -Destination $help
    $generator = Join-Path $root 'src/LanScatter.PowerShell/Help/New-MamlHelp.ps1'
    $xmlDoc = Join-Path $staged 'bin/net8.0/LanScatter.PowerShell.xml'
    & (Get-ChildPowerShell) -NoProfile -NonInteractive -File $generator -ModulePath (Join-Path $staged 'LanScatter.psd1') -XmlDocPath $xmlDoc -OutFile (Join-Path $help 'LanScatter.PowerShell.dll-Help.xml') | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "generating the cmdlet help failed (exit code $LASTEXITCODE)" }
    # The compiler's doc files were only the help's source.
    Get-ChildItem -LiteralPath (Join-Path $staged 'bin') -Recurse -Filter '*.xml' | Remove-Item
}

# This PowerShell as a new process: pwsh (also when run as a .NET tool), or Windows PowerShell.
function Get-ChildPowerShell {
    $candidates = 'pwsh', 'pwsh.exe', 'powershell.exe' | ForEach-Object { Join-Path $PSHOME $_ }
    $found = $candidates | Where-Object { Test-Path -LiteralPath $_ -PathType Leaf } | Select-Object -First 1
    if (-not $found) { throw "no PowerShell executable in $PSHOME" }
    return $found
}

function Invoke-Package {
    Invoke-Stage
    if (-not (Get-Command Compress-PSResource -ErrorAction Ignore)) {
        throw 'Packaging needs Microsoft.PowerShell.PSResourceGet 1.1 or later (part of PowerShell 7.4+): run build.ps1 in pwsh.'
    }
    if (Test-Path -LiteralPath $packages) { Remove-Item -LiteralPath $packages -Recurse -Force }
    New-Item -ItemType Directory -Path $packages | Out-Null
    Compress-PSResource -Path $staged -DestinationPath $packages
    $package = Get-ChildItem -LiteralPath $packages -Filter '*.nupkg' | Select-Object -First 1
    if (-not $package) { throw "Compress-PSResource wrote no package to $packages" }
    Write-Host "Packaged $($package.FullName)"
}

function Get-Pester {
    # The package's tools/ folder is the module; restoring a download-only project fetches it.
    $tools = Join-Path $root 'artifacts/tools/nuget'
    $module = Join-Path $tools 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path -LiteralPath $module)) {
        Invoke-Dotnet restore (Join-Path $root 'tests/Pester/Pester.Download.csproj') --packages $tools
    }
    return $module
}

function Invoke-Test {
    Invoke-Dotnet test (Join-Path $root 'LanScatter.sln') -c $Configuration
    Invoke-Package
    Import-Module (Get-Pester) -Force
    $config = New-PesterConfiguration
    $config.Run.Path = Join-Path $root 'tests/Pester'
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    # Every folder the tests make goes under this root (tests/Pester/Helpers.ps1), removed after the run.
    $env:LANSCATTER_PESTER_ROOT = Join-Path ([IO.Path]::GetTempPath()) ('lanscatter-pester-' + [guid]::NewGuid().ToString('N').Substring(0, 12))
    try { $result = Invoke-Pester -Configuration $config }
    finally {
        Remove-Item -LiteralPath $env:LANSCATTER_PESTER_ROOT -Recurse -Force -ErrorAction SilentlyContinue
        Remove-Item Env:LANSCATTER_PESTER_ROOT
    }
    if ($result.FailedCount -gt 0 -or $result.Result -ne 'Passed') {
        throw "Pester: $($result.FailedCount) test(s) failed ($($result.Result))"
    }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Stage' { Invoke-Stage }
    'Package' { Invoke-Package }
    'Test' { Invoke-Test }
    'All' { Invoke-Build; Invoke-Test }
}
