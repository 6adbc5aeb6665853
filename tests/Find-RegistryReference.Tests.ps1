#Requires -Version 7.0
BeforeAll {
    Import-Module "$PSScriptRoot/../out/CodespaceRegistry" -Force

    function New-Fixture([hashtable] $Files) {
        $root = Join-Path $TestDrive ([guid]::NewGuid())
        foreach ($name in $Files.Keys) {
            $path = Join-Path $root $name
            New-Item -ItemType Directory -Force -Path (Split-Path $path) | Out-Null
            Set-Content -LiteralPath $path -Value $Files[$name] -NoNewline
        }
        $root
    }
}

Describe 'Find-RegistryReference' {
    It 'reads image and features from devcontainer.json with comments and trailing commas' {
        $root = New-Fixture @{
            '.devcontainer/devcontainer.json' = "// web`n{`n  /* base */`n  `"image`": `"mcr.microsoft.com/devcontainers/base:ubuntu`",`n  `"features`": {`n    `"ghcr.io/devcontainers/features/node:1`": {},`n  },`n}"
        }
        $refs = Find-RegistryReference -Path $root
        $refs.Reference | Should -Be @('mcr.microsoft.com/devcontainers/base:ubuntu', 'ghcr.io/devcontainers/features/node:1')
        $refs.Kind | Should -Be @('Image', 'Feature')
        $refs[0].Source | Should -Be '.devcontainer/devcontainer.json:4'
        $refs[1].Source | Should -Be '.devcontainer/devcontainer.json:6'
        $refs[1].Server.Kind | Should -Be 'GitHubContainerRegistry'
        $refs[0].ImageReference.Tag | Should -Be 'ubuntu'
    }

    It 'follows build.dockerfile with ARG defaults, build args, stages and the target' {
        $root = New-Fixture @{
            '.devcontainer/devcontainer.json' = '{ "build": { "dockerfile": "Dockerfile", "context": "..", "target": "dev", "args": { "VARIANT": "3.12" } } }'
            '.devcontainer/Dockerfile'        = "ARG VARIANT=3.11`nFROM --platform=`$BUILDPLATFORM mcr.microsoft.com/devcontainers/python:`${VARIANT} AS dev`nFROM scratch AS unused`nFROM 123456789012.dkr.ecr.eu-west-1.amazonaws.com/prod:1 AS prod`n"
        }
        $ref = Find-RegistryReference $root
        $ref.Reference | Should -Be 'mcr.microsoft.com/devcontainers/python:3.12'
        $ref.Kind | Should -Be 'Dockerfile'
        $ref.Stage | Should -Be 'dev'
        $ref.Source | Should -Be '.devcontainer/Dockerfile:2'
    }

    It 'lists the Compose services the container starts' {
        $root = New-Fixture @{
            '.devcontainer/devcontainer.json' = '{ "dockerComposeFile": ["../compose.yml"], "service": "app", "runServices": ["app"] }'
            'compose.yml'                      = "services:`n  app:`n    image: ghcr.io/octo-org/app:1`n    depends_on: [db]`n  db:`n    image: postgres:16`n  unused:`n    image: redis:7`n"
        }
        $refs = Find-RegistryReference $root
        $refs.Reference | Should -Be @('ghcr.io/octo-org/app:1', 'postgres:16')
        $refs.Service | Should -Be @('app', 'db')
        $refs[1].Source | Should -Be 'compose.yml:6'
    }

    It 'scans every nested configuration' {
        $root = New-Fixture @{
            '.devcontainer/python/devcontainer.json' = '{ "image": "ghcr.io/octo-org/python:3" }'
            '.devcontainer/go/devcontainer.json'     = '{ "image": "golang:1.22" }'
        }
        (Find-RegistryReference $root).Configuration | Should -Be @('.devcontainer/go/devcontainer.json', '.devcontainer/python/devcontainer.json')
    }

    It 'warns about a reference it cannot resolve instead of guessing' {
        $root = New-Fixture @{ '.devcontainer/devcontainer.json' = '{ "image": "${localEnv:DEV_IMAGE}" }' }
        $refs = Find-RegistryReference $root -WarningVariable warnings -WarningAction SilentlyContinue
        $refs | Should -BeNullOrEmpty
        $warnings[0].Message | Should -BeLike '.devcontainer/devcontainer.json:1*DEV_IMAGE*'
    }

    It 'takes folders from the pipeline' {
        $a = New-Fixture @{ '.devcontainer.json' = '{ "image": "alpine:3" }' }
        $b = New-Fixture @{ '.devcontainer/devcontainer.json' = '{ "image": "busybox:1" }' }
        (Get-Item $a, $b | Find-RegistryReference).Reference | Should -Be @('alpine:3', 'busybox:1')
    }

    It 'writes DevcontainerNotFound for a folder without a configuration' {
        { Find-RegistryReference -Path $TestDrive -ErrorAction Stop } | Should -Throw -ErrorId 'DevcontainerNotFound,CodespaceRegistry.Commands.FindRegistryReferenceCommand'
    }

    It 'writes DevcontainerJsonInvalid for a broken devcontainer.json and goes on' {
        $bad = New-Fixture @{ '.devcontainer/devcontainer.json' = "{`n `"image`": `"alpine`"`n `"features`": {}`n}" }
        $good = New-Fixture @{ '.devcontainer/devcontainer.json' = '{ "image": "alpine:3" }' }
        $refs = Find-RegistryReference $bad, $good -ErrorVariable errs -ErrorAction SilentlyContinue
        $refs.Reference | Should -Be 'alpine:3'
        $errs[0].FullyQualifiedErrorId | Should -Be 'DevcontainerJsonInvalid,CodespaceRegistry.Commands.FindRegistryReferenceCommand'
    }

    It 'pipes into Resolve-PackageAccess' {
        $root = New-Fixture @{ '.devcontainer/devcontainer.json' = '{ "image": "mcr.microsoft.com/devcontainers/base:ubuntu" }' }
        $decision = Find-RegistryReference $root | Resolve-PackageAccess -Repository octo-org/web -SecretSet @()
        $decision.Package | Should -Be 'mcr.microsoft.com/devcontainers/base:ubuntu'
        $decision.Outcome | Should -Be 'Public'
        $decision.Rule | Should -Be 'PublicRegistry'
    }
}

Describe 'Find-RegistryReference over several repositories' {
    BeforeAll {
        $script:parent = Join-Path $TestDrive 'repos'
        foreach ($name in 'api', 'web', 'odd[1]') {
            New-Item -ItemType Directory -Force -Path (Join-Path $parent $name '.devcontainer') | Out-Null
            Set-Content -LiteralPath (Join-Path $parent $name '.devcontainer/devcontainer.json') -Value "{ `"image`": `"ghcr.io/octo-org/$($name -replace '\W', ''):1`" }"
        }
    }

    It 'expands wildcards in -Path and tells the repositories apart by Root and File' {
        $refs = Find-RegistryReference -Path (Join-Path $parent '*')
        $refs.Root | Should -Be @((Join-Path $parent 'api'), (Join-Path $parent 'odd[1]'), (Join-Path $parent 'web'))
        $refs.File | ForEach-Object { [IO.Path]::IsPathRooted($_) | Should -BeTrue }
    }

    It 'takes -LiteralPath as written and folders from Get-ChildItem' {
        (Find-RegistryReference -LiteralPath (Join-Path $parent 'odd[1]')).Reference | Should -Be 'ghcr.io/octo-org/odd1:1'
        (Get-ChildItem $parent | Find-RegistryReference).Count | Should -Be 3
    }

    It 'reports a path that does not exist as PathNotFound' {
        { Find-RegistryReference -Path (Join-Path $parent 'nope') -ErrorAction Stop } | Should -Throw -ErrorId 'PathNotFound,CodespaceRegistry.Commands.FindRegistryReferenceCommand'
        Find-RegistryReference -LiteralPath (Join-Path $parent 'nope') -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}
