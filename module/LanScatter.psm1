# Loads the cmdlet assembly built for this PowerShell: .NET 8 for PowerShell 7.4+, netstandard2.0 for Windows PowerShell 5.1.
$framework = if ($PSVersionTable.PSEdition -eq 'Core') { 'net8.0' } else { 'netstandard2.0' }
$assembly = Join-Path $PSScriptRoot "bin/$framework/LanScatter.PowerShell.dll"
if (-not (Test-Path -LiteralPath $assembly)) {
    throw "LanScatter is not staged correctly: '$assembly' is missing. Run ./build.ps1 -Task Stage."
}
Import-Module -Name $assembly -ErrorAction Stop
