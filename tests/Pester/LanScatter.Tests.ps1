# Pester 5 tests of the staged module (run by ./build.ps1 -Task Test after -Task Stage).
BeforeAll {
    $module = Join-Path $PSScriptRoot '../../artifacts/module/LanScatter/LanScatter.psd1'
    Import-Module $module -Force
    $folder = Join-Path ([IO.Path]::GetTempPath()) ("lanscatter-pester-" + [guid]::NewGuid())
    New-Item -ItemType Directory -Path (Join-Path $folder 'sub/empty') -Force | Out-Null
    [IO.File]::WriteAllText((Join-Path $folder 'a.txt'), 'abc')
}

AfterAll {
    Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue
    Remove-Module LanScatter -ErrorAction SilentlyContinue
}

Describe 'Module manifest' {
    It 'exports exactly the cmdlets it lists' {
        $exported = (Get-Module LanScatter).ExportedCmdlets.Keys | Sort-Object
        $exported | Should -Be @('Get-LsManifest')
    }
    It 'has a version stamped from the build' {
        (Get-Module LanScatter).Version | Should -Not -Be ([version]'0.0')
    }
}

Describe 'Get-LsManifest' {
    It 'returns a manifest object whose chunk id is BLAKE2b-256 of the bytes' {
        $manifest = Get-LsManifest -Path $folder -ChunkSize 64KB
        $manifest.Files.Count | Should -Be 1
        $manifest.Files[0].Path | Should -Be 'a.txt'
        $manifest.Files[0].Chunks[0].Id | Should -Be 'bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319'
        $manifest.EmptyDirectories | Should -Be @('sub/empty')
    }
    It 'emits JSON with -AsJson' {
        $json = Get-LsManifest -Path $folder -AsJson | ConvertFrom-Json
        $json.format | Should -Be 1
    }
    It 'accepts folders from the pipeline' {
        (Get-Item $folder | Get-LsManifest).Files.Count | Should -Be 1
    }
    It 'writes a non-terminating error with a stable ErrorId for a missing folder' {
        $result = Get-LsManifest -Path (Join-Path $folder 'nope') -ErrorVariable err -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'FolderNotFound*'
    }
    It 'rejects a chunk size out of range before doing any work' {
        { Get-LsManifest -Path $folder -ChunkSize 1KB -ErrorAction Stop } | Should -Throw
    }
}
