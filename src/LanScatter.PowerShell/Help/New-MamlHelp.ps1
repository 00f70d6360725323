#Requires -Version 5.1
<#
.SYNOPSIS
    Writes the cmdlets' MAML help (what Get-Help reads) from their one source: the C# doc comments.
.DESCRIPTION
    Run by build.ps1 -Task Stage in a child PowerShell (it imports the staged module). Text comes from
    the compiler's XML documentation file: the cmdlet class's <para type="synopsis">, <para
    type="description"> and <example> (<code>, then <para> remarks); each parameter property's <para
    type="description">. Everything else — syntax per parameter set, types, mandatory, position,
    pipeline input, aliases, input and output types — comes from PowerShell's own view of the
    cmdlets (Get-Command), so help cannot drift from the code. A cmdlet or parameter without text,
    or a cmdlet with fewer than two examples, fails the build.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $XmlDocPath,
    [Parameter(Mandatory)] [string] $OutFile
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$module = Import-Module -Name $ModulePath -PassThru -Force
$docs = @{}
foreach ($member in ([xml](Get-Content -Raw -LiteralPath $XmlDocPath)).doc.members.member) { $docs[$member.name] = $member }

# The <para type="..."> texts under a member's <summary>, whitespace folded.
function Get-DocText($Member, [string] $Type) {
    if ($null -eq $Member -or $null -eq $Member.SelectSingleNode('summary')) { return @() }
    @($Member.SelectNodes("summary/para[@type='$Type']") | ForEach-Object { ($_.InnerText -replace '\s+', ' ').Trim() } | Where-Object { $_ })
}

# Code as written in the doc comment, without the comment's own indentation.
function Get-Dedented([string] $Text) {
    $lines = @($Text -split "`r?`n" | ForEach-Object { $_.TrimEnd() })
    while ($lines.Count -and -not $lines[0]) { $lines = @($lines | Select-Object -Skip 1) }
    while ($lines.Count -and -not $lines[-1]) { $lines = @($lines | Select-Object -SkipLast 1) }
    $indent = ($lines | Where-Object { $_ } | ForEach-Object { $_.Length - $_.TrimStart().Length } | Measure-Object -Minimum).Minimum
    ($lines | ForEach-Object { if ($_.Length -ge $indent) { $_.Substring($indent) } else { $_ } }) -join "`n"
}

# The type name a sysadmin reads: [string[]] as String[], a SwitchParameter as SwitchParameter.
function Get-TypeName([type] $Type) { $Type.Name }

$riskText = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}
$common = [System.Management.Automation.PSCmdlet]::CommonParameters + @('UseTransaction')

$maml = 'http://schemas.microsoft.com/maml/2004/10'
$command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
$settings = [System.Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.Encoding = [System.Text.UTF8Encoding]::new($false)
$problems = [System.Collections.Generic.List[string]]::new()
New-Item -ItemType Directory -Path (Split-Path -Parent $OutFile) -Force | Out-Null
$w = [System.Xml.XmlWriter]::Create($OutFile, $settings)

function Write-Paras([string[]] $Texts) {
    $w.WriteStartElement('maml', 'description', $maml)
    foreach ($t in $Texts) { $w.WriteElementString('maml', 'para', $maml, $t) }
    $w.WriteEndElement()
}

function Write-Parameter($Parameter, [string[]] $Description, [bool] $InSyntax) {
    $pipeline = @()
    if ($Parameter.ValueFromPipeline) { $pipeline += 'ByValue' }
    if ($Parameter.ValueFromPipelineByPropertyName) { $pipeline += 'ByPropertyName' }
    $w.WriteStartElement('command', 'parameter', $command)
    $w.WriteAttributeString('required', "$($Parameter.IsMandatory)".ToLowerInvariant())
    $w.WriteAttributeString('variableLength', "$($Parameter.ParameterType.IsArray)".ToLowerInvariant())
    $w.WriteAttributeString('globbing', 'false')
    $w.WriteAttributeString('pipelineInput', $(if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }))
    $w.WriteAttributeString('position', $(if ($Parameter.Position -ge 0) { "$($Parameter.Position)" } else { 'named' }))
    $w.WriteAttributeString('aliases', $(if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }))
    $w.WriteElementString('maml', 'name', $maml, $Parameter.Name)
    Write-Paras $Description
    if ($Parameter.ParameterType -ne [System.Management.Automation.SwitchParameter]) {
        $w.WriteStartElement('command', 'parameterValue', $command)
        $w.WriteAttributeString('required', 'true')
        $w.WriteAttributeString('variableLength', "$($Parameter.ParameterType.IsArray)".ToLowerInvariant())
        $w.WriteString((Get-TypeName $Parameter.ParameterType))
        $w.WriteEndElement()
    }
    if (-not $InSyntax) {
        $w.WriteStartElement('dev', 'type', $dev)
        $w.WriteElementString('maml', 'name', $maml, $Parameter.ParameterType.FullName)
        $w.WriteEndElement()
        $w.WriteElementString('dev', 'defaultValue', $dev, 'None')
    }
    $w.WriteEndElement()
}

$w.WriteStartDocument()
$w.WriteStartElement('helpItems', 'http://msh')
$w.WriteAttributeString('schema', 'maml')
foreach ($cmd in Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name) {
    $type = $docs["T:$($cmd.ImplementingType.FullName)"]
    $synopsis = Get-DocText $type 'synopsis'
    $description = Get-DocText $type 'description'
    if (-not $synopsis) { $problems.Add("$($cmd.Name): no synopsis") }
    if (-not $description) { $problems.Add("$($cmd.Name): no description") }
    $examples = @(if ($type) { $type.SelectNodes('example') })
    if ($examples.Count -lt 2) { $problems.Add("$($cmd.Name): $($examples.Count) example(s), at least 2 needed") }

    # One description per parameter, whatever parameter set it is met in.
    $parameterText = @{}
    foreach ($name in $cmd.Parameters.Keys | Where-Object { $_ -notin $common }) {
        $text = if ($riskText.ContainsKey($name)) { @($riskText[$name]) } else { Get-DocText $docs["P:$($cmd.ImplementingType.FullName).$name"] 'description' }
        if (-not $text) { $problems.Add("$($cmd.Name) -${name}: no description") }
        $parameterText[$name] = $text
    }

    $w.WriteStartElement('command', 'command', $command)
    $w.WriteAttributeString('xmlns', 'maml', $null, $maml)
    $w.WriteAttributeString('xmlns', 'dev', $null, $dev)
    $w.WriteStartElement('command', 'details', $command)
    $w.WriteElementString('command', 'name', $command, $cmd.Name)
    $w.WriteElementString('command', 'verb', $command, $cmd.Verb)
    $w.WriteElementString('command', 'noun', $command, $cmd.Noun)
    Write-Paras $synopsis
    $w.WriteEndElement()
    Write-Paras $description

    $w.WriteStartElement('command', 'syntax', $command)
    foreach ($set in $cmd.ParameterSets) {
        $w.WriteStartElement('command', 'syntaxItem', $command)
        $w.WriteElementString('maml', 'name', $maml, $cmd.Name)
        foreach ($p in $set.Parameters | Where-Object { $_.Name -notin $common }) { Write-Parameter $p $parameterText[$p.Name] $true }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'parameters', $command)
    foreach ($name in $parameterText.Keys | Sort-Object) {
        # Mandatory, position and pipeline input as in the first set that has the parameter.
        $p = $cmd.ParameterSets | ForEach-Object { $_.Parameters } | Where-Object Name -EQ $name | Select-Object -First 1
        Write-Parameter $p $parameterText[$name] $false
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'inputTypes', $command)
    $inputs = @($cmd.Parameters.Values | Where-Object { $_.Name -notin $common -and ($_.Attributes | Where-Object { $_ -is [Parameter] -and ($_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName) }) })
    foreach ($p in $inputs) {
        $w.WriteStartElement('command', 'inputType', $command)
        $w.WriteStartElement('dev', 'type', $dev)
        $w.WriteElementString('maml', 'name', $maml, $p.ParameterType.FullName)
        $w.WriteEndElement()
        Write-Paras @("-$($p.Name) from the pipeline.")
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'returnValues', $command)
    foreach ($out in $cmd.OutputType) {
        $w.WriteStartElement('command', 'returnValue', $command)
        $w.WriteStartElement('dev', 'type', $dev)
        $w.WriteElementString('maml', 'name', $maml, $out.Name)
        $w.WriteEndElement()
        Write-Paras @()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'examples', $command)
    $n = 0
    foreach ($example in $examples) {
        $n++
        $w.WriteStartElement('command', 'example', $command)
        $w.WriteElementString('maml', 'title', $maml, "-------------------------- Example $n --------------------------")
        $w.WriteElementString('dev', 'code', $dev, (Get-Dedented $example.SelectSingleNode('code').InnerText))
        $w.WriteStartElement('dev', 'remarks', $dev)
        foreach ($para in $example.SelectNodes('para')) { $w.WriteElementString('maml', 'para', $maml, ($para.InnerText -replace '\s+', ' ').Trim()) }
        $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'relatedLinks', $command)
    foreach ($link in @('about_LanScatter') + @(Get-Command -Module $module.Name -CommandType Cmdlet | Where-Object Name -NE $cmd.Name | ForEach-Object Name)) {
        $w.WriteStartElement('maml', 'navigationLink', $maml)
        $w.WriteElementString('maml', 'linkText', $maml, $link)
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
    $w.WriteEndElement()
}
$w.WriteEndElement()
$w.WriteEndDocument()
$w.Dispose()
if ($problems.Count) { throw "Help is incomplete:`n  $($problems -join "`n  ")" }
Write-Host "Wrote help for $(@(Get-Command -Module $module.Name -CommandType Cmdlet).Count) cmdlets to $OutFile"
