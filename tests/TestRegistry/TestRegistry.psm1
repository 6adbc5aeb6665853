# Real registries on 127.0.0.1 for the Pester files: CNCF Distribution (docker-registry) with htpasswd users, plain
# HTTP or TLS with a throwaway CA, and small images pushed by skopeo from a hand-made OCI layout.
Set-StrictMode -Version 3.0

$script:User = 'alice'
# A canary: it must never reach output, errors or verbose text.
$script:Password = 'Canary-pester-a1ice-5e2b'

function Get-FreePort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop(); $port
}

function New-TestCertificates([string] $Directory) {
    $caKey = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256)
    $caRequest = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=CodespaceRegistry Pester CA', $caKey, 'SHA256')
    $caRequest.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($true, $false, 0, $true))
    $caRequest.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509KeyUsageExtension]::new('KeyCertSign, CrlSign', $true))
    $now = [DateTimeOffset]::UtcNow
    $ca = $caRequest.CreateSelfSigned($now.AddMinutes(-5), $now.AddDays(1))

    $key = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256)
    $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=127.0.0.1', $key, 'SHA256')
    $san = [System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
    $san.AddIpAddress([System.Net.IPAddress]::Loopback)
    $request.CertificateExtensions.Add($san.Build())
    $request.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($false, $false, 0, $false))
    $usages = [System.Security.Cryptography.OidCollection]::new(); $null = $usages.Add([System.Security.Cryptography.Oid]::new('1.3.6.1.5.5.7.3.1'))
    $request.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension]::new($usages, $false))
    $serial = [byte[]]::new(8); [System.Security.Cryptography.RandomNumberGenerator]::Fill($serial)
    $server = $request.Create($ca, $now.AddMinutes(-5), $now.AddHours(12), $serial)

    Set-Content -LiteralPath (Join-Path $Directory 'ca.crt') -Value $ca.ExportCertificatePem()
    Set-Content -LiteralPath (Join-Path $Directory 'server.crt') -Value $server.ExportCertificatePem()
    Set-Content -LiteralPath (Join-Path $Directory 'server.key') -Value $key.ExportPkcs8PrivateKeyPem()
    Join-Path $Directory 'ca.crt'
}

function Write-OciLayout([string] $Directory, [string] $Tag) {
    $blobs = Join-Path $Directory 'blobs/sha256'
    New-Item -ItemType Directory -Force -Path $blobs | Out-Null
    function Add-Blob([byte[]] $Content, [string] $MediaType) {
        $hex = [Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($Content)).ToLowerInvariant()
        [IO.File]::WriteAllBytes((Join-Path $blobs $hex), $Content)
        [ordered]@{ mediaType = $MediaType; digest = "sha256:$hex"; size = $Content.Length }
    }
    $layer = [IO.MemoryStream]::new()
    $tar = [System.Formats.Tar.TarWriter]::new($layer, [System.Formats.Tar.TarEntryFormat]::Pax, $true)
    $entry = [System.Formats.Tar.PaxTarEntry]::new([System.Formats.Tar.TarEntryType]::RegularFile, 'hello.txt')
    $entry.DataStream = [IO.MemoryStream]::new([Text.Encoding]::UTF8.GetBytes("hello $Tag`n"))
    $tar.WriteEntry($entry); $tar.Dispose()
    $layerBlob = Add-Blob $layer.ToArray() 'application/vnd.oci.image.layer.v1.tar'
    $config = [ordered]@{ architecture = 'amd64'; os = 'linux'; config = @{}; rootfs = [ordered]@{ type = 'layers'; diff_ids = @($layerBlob.digest) } }
    $configBlob = Add-Blob ([Text.Encoding]::UTF8.GetBytes(($config | ConvertTo-Json -Compress -Depth 5))) 'application/vnd.oci.image.config.v1+json'
    $manifest = [ordered]@{ schemaVersion = 2; mediaType = 'application/vnd.oci.image.manifest.v1+json'; config = $configBlob; layers = @($layerBlob) }
    $manifestBlob = Add-Blob ([Text.Encoding]::UTF8.GetBytes(($manifest | ConvertTo-Json -Compress -Depth 5))) 'application/vnd.oci.image.manifest.v1+json'
    $manifestBlob.annotations = @{ 'org.opencontainers.image.ref.name' = $Tag }
    Set-Content -LiteralPath (Join-Path $Directory 'index.json') -Value (@{ schemaVersion = 2; manifests = @($manifestBlob) } | ConvertTo-Json -Compress -Depth 5) -NoNewline
    Set-Content -LiteralPath (Join-Path $Directory 'oci-layout') -Value '{"imageLayoutVersion":"1.0.0"}' -NoNewline
}

<#
.SYNOPSIS
Starts docker-registry on 127.0.0.1 with the htpasswd user alice and pushes -Image (repository:tag, on that registry).
With -CertsD, serves TLS with a throwaway CA and writes the CA to <CertsD>/127.0.0.1:<port>/ca.crt, as docker's certs.d.
#>
function Start-TestRegistry {
    param([Parameter(Mandatory)] [string] $Directory, [string[]] $Image = @('team/tiny:1'), [string] $CertsD)
    New-Item -ItemType Directory -Force -Path $Directory | Out-Null
    $port = Get-FreePort
    $hostPort = "127.0.0.1:$port"
    $htpasswd = (& htpasswd -Bbn $script:User $script:Password) -join "`n"
    Set-Content -LiteralPath (Join-Path $Directory 'htpasswd') -Value $htpasswd
    $tls = ''
    if ($CertsD) {
        $ca = New-TestCertificates $Directory
        $trusted = [IO.Path]::Combine($CertsD, $hostPort)
        New-Item -ItemType Directory -Force -Path $trusted | Out-Null
        Copy-Item -LiteralPath $ca -Destination (Join-Path $trusted 'ca.crt')
        $tls = "  tls:`n    certificate: $(Join-Path $Directory 'server.crt')`n    key: $(Join-Path $Directory 'server.key')`n"
    }
    $config = "version: 0.1`nlog:`n  level: warn`nstorage:`n  filesystem:`n    rootdirectory: $(Join-Path $Directory 'data')`n" +
        "http:`n  addr: $hostPort`n  secret: pester-registry-secret`n$tls" +
        "auth:`n  htpasswd:`n    realm: pester`n    path: $(Join-Path $Directory 'htpasswd')`n"
    $configPath = Join-Path $Directory 'config.yml'
    Set-Content -LiteralPath $configPath -Value $config
    $process = Start-Process -FilePath docker-registry -ArgumentList 'serve', $configPath -PassThru `
        -RedirectStandardOutput (Join-Path $Directory 'stdout.log') -RedirectStandardError (Join-Path $Directory 'stderr.log')

    # Ready when /v2/ answers 401 (bounded polling; the process failing stops it early).
    $handler = [System.Net.Http.HttpClientHandler]::new()
    $handler.ServerCertificateCustomValidationCallback = [System.Net.Http.HttpClientHandler]::DangerousAcceptAnyServerCertificateValidator
    $http = [System.Net.Http.HttpClient]::new($handler)
    $scheme = if ($CertsD) { 'https' } else { 'http' }
    $ready = $false
    for ($attempt = 0; $attempt -lt 200 -and -not $ready; $attempt++) {
        if ($process.HasExited) { throw "docker-registry exited: $(Get-Content -Raw (Join-Path $Directory 'stderr.log'))" }
        try { $ready = [int]$http.GetAsync("${scheme}://$hostPort/v2/").GetAwaiter().GetResult().StatusCode -eq 401 }
        catch { Start-Sleep -Milliseconds 25 }
    }
    $http.Dispose()
    if (-not $ready) { throw "docker-registry did not answer on $hostPort" }

    foreach ($name in $Image) {
        $repository, $tag = $name -split ':', 2
        $layout = Join-Path $Directory ('layout-' + ($repository -replace '/', '-') + "-$tag")
        Write-OciLayout $layout $tag
        $out = & skopeo --insecure-policy copy --quiet --dest-creds "$($script:User):$($script:Password)" --dest-tls-verify=false "oci:${layout}:$tag" "docker://$hostPort/$name" 2>&1
        if ($LASTEXITCODE -ne 0) { throw "skopeo copy failed: $out" }
    }
    [pscustomobject]@{ Host = $hostPort; Port = $port; ProcessId = $process.Id; Directory = $Directory; User = $script:User; Password = $script:Password }
}

function Stop-TestRegistry {
    param([Parameter(ValueFromPipeline)] $Registry)
    process {
        if ($Registry) { Stop-Process -Id $Registry.ProcessId -ErrorAction SilentlyContinue }
    }
}

<# Sets the three secrets of a registry secret set in the environment. #>
function Set-TestSecretSet([string] $Name, [string] $Server, [string] $User = $script:User, [string] $Password = $script:Password) {
    Set-Item "env:${Name}_CONTAINER_REGISTRY_SERVER" $Server
    Set-Item "env:${Name}_CONTAINER_REGISTRY_USER" $User
    Set-Item "env:${Name}_CONTAINER_REGISTRY_PASSWORD" $Password
}

function Get-ClosedPort { Get-FreePort }

<# Runs -Script in a fresh PowerShell process (this one's pwsh, also as `dotnet pwsh.dll`), as a user would; its output as text lines. #>
function Invoke-FreshPwsh([Parameter(Mandatory)] [string] $Script) {
    $pwsh = [Environment]::ProcessPath
    $arguments = @(if ((Split-Path -Leaf $pwsh) -like 'dotnet*') { Join-Path $PSHOME 'pwsh.dll' }) + @('-NoProfile', '-NonInteractive', '-Command', $Script)
    & $pwsh @arguments 2>&1 | ForEach-Object { "$_" }
}

Export-ModuleMember -Function Start-TestRegistry, Stop-TestRegistry, Set-TestSecretSet, Get-ClosedPort, Invoke-FreshPwsh
