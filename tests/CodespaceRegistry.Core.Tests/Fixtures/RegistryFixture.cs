using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Tasks;
using Xunit;


namespace CodespaceRegistry.Tests.Fixtures
{
    public enum RegistryAuthMode
    {
        /// <summary>htpasswd (bcrypt) users, plain HTTP on 127.0.0.1.</summary>
        HtpasswdHttp,

        /// <summary>htpasswd users over TLS with a certificate from a test CA.</summary>
        HtpasswdTls,

        /// <summary>Bearer tokens from <see cref="TokenServer"/>, plain HTTP.</summary>
        Token,

        /// <summary>htpasswd users over TLS that also requires a client certificate issued by the test CA (mutual TLS).</summary>
        HtpasswdMutualTls,
    }

    /// <summary>
    /// CNCF Distribution (<c>docker-registry serve</c>) on 127.0.0.1 and a free port, with an image
    /// (<see cref="Repository"/>:<see cref="Tag"/>) pushed by skopeo from a hand-made OCI layout. Shared by every test
    /// of a collection; stopped by process on dispose. This part uses nothing of Core, so the engine tests link it too
    /// (they must not load Core beside the module's copy); RegistryFixture.Core.cs adds Core's views of it.
    /// </summary>
    public abstract partial class RegistryFixture : IAsyncLifetime
    {
        public const string Repository = "demo/app";
        public const string Tag = "v1";

        /// <summary>May pull and push everything.</summary>
        public const string User = "alice";

        /// <summary>Canary password: it must never reach output, ToString(), exception messages or logs.</summary>
        public const string Password = "Canary-a1ice-7f3e9c1d";

        /// <summary>May only pull (token mode; htpasswd grants every user everything).</summary>
        public const string PullUser = "puller";

        public const string PullPassword = "Canary-pu11er-3d7e";

        private readonly StringBuilder _log = new StringBuilder();
        private Process? _process;

        protected RegistryFixture(RegistryAuthMode mode) { Mode = mode; }

        public RegistryAuthMode Mode { get; }

        public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("registry-").FullName;

        public int Port { get; private set; }

        /// <summary><c>127.0.0.1:port</c>.</summary>
        public string Host => "127.0.0.1:" + Port;

        /// <summary><c>127.0.0.1:port/demo/app:v1</c>, the image pushed.</summary>
        public string ImageName => Host + "/" + Repository + ":" + Tag;

        /// <summary>The test CA (TLS mode): trusted through RegistryClientOptions.ExtraTrustedRoot, or a certs.d folder.</summary>
        public X509Certificate2? Ca { get; private set; }

        public TokenServer? TokenServer { get; private set; }

        /// <summary>The client certificate the registry requires (mutual TLS mode).</summary>
        public X509Certificate2? ClientCertificate { get; private set; }

        /// <summary>A folder with <c>client.cert</c> and <c>client.key</c> (PEM), as a certs.d folder holds them (mutual TLS mode).</summary>
        public string? ClientCertificateDirectory { get; private set; }

        private bool IsTls => Mode == RegistryAuthMode.HtpasswdTls || Mode == RegistryAuthMode.HtpasswdMutualTls;

        /// <summary>What the registry process wrote: warnings and one access-log line per HTTP request.</summary>
        public string Log { get { lock (_log) return _log.ToString(); } }

        /// <summary>HTTP requests the registry has logged so far (its access log, which the process writes asynchronously).</summary>
        public int RequestsLogged => System.Text.RegularExpressions.Regex.Matches(Log, "\"(GET|HEAD|POST|PUT|PATCH|DELETE) /(?!v2/_sentinel)").Count;

        /// <summary>
        /// The requests the registry has served so far, once its access log has caught up: a sentinel request is sent
        /// and, the log being written in order, everything before it is logged when the sentinel is. Sentinels don't count.
        /// </summary>
        public async Task<int> SettledRequestsAsync()
        {
            var sentinel = "/v2/_sentinel-" + Guid.NewGuid().ToString("N");
            using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
            using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
            using (await http.GetAsync(new Uri((IsTls ? "https://" : "http://") + Host + sentinel))) { }
            for (var attempt = 0; attempt < 1000 && !Log.Contains(sentinel); attempt++) await Task.Delay(10);
            if (!Log.Contains(sentinel)) throw new TimeoutException("The registry did not log the sentinel request within 10 s.");
            return RequestsLogged;
        }

        public async Task InitializeAsync()
        {
            Port = FreePort();
            var users = Users();
            var config = new StringBuilder()
                .AppendLine("version: 0.1")
                .AppendLine("log:\n  level: warn\n  accesslog:\n    disabled: false")
                .AppendLine($"storage:\n  filesystem:\n    rootdirectory: {Path.Combine(Directory, "data")}\n  delete:\n    enabled: true\n  maintenance:\n    uploadpurging:\n      enabled: false")
                .AppendLine($"http:\n  addr: {Host}\n  secret: codespace-registry-test-secret");

            if (IsTls)
            {
                Ca = TestCertificates.CreateCa("CodespaceRegistry test CA");
                using var serverCert = TestCertificates.CreateServer(Ca, IPAddress.Loopback);
                File.WriteAllText(Path.Combine(Directory, "server.crt"), serverCert.ExportCertificatePem());
                File.WriteAllText(Path.Combine(Directory, "server.key"), serverCert.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
                config.AppendLine($"  tls:\n    certificate: {Path.Combine(Directory, "server.crt")}\n    key: {Path.Combine(Directory, "server.key")}");
                if (Mode == RegistryAuthMode.HtpasswdMutualTls)
                {
                    File.WriteAllText(Path.Combine(Directory, "client-ca.crt"), Ca.ExportCertificatePem());
                    config.AppendLine($"    clientcas:\n      - {Path.Combine(Directory, "client-ca.crt")}");
                    ClientCertificate = TestCertificates.CreateClient(Ca, "codespace-registry-test-client");
                    ClientCertificateDirectory = Path.Combine(Directory, "client");
                    System.IO.Directory.CreateDirectory(ClientCertificateDirectory);
                    File.WriteAllText(Path.Combine(ClientCertificateDirectory, "client.cert"), ClientCertificate.ExportCertificatePem());
                    File.WriteAllText(Path.Combine(ClientCertificateDirectory, "client.key"), ClientCertificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
                }
            }

            if (Mode == RegistryAuthMode.Token)
            {
                TokenServer = await TokenServer.StartAsync(new Dictionary<string, (string, string[])>
                {
                    [User] = (Password, new[] { "pull", "push", "delete" }),
                    [PullUser] = (PullPassword, new[] { "pull" }),
                });
                var bundle = Path.Combine(Directory, "token-signer.crt");
                File.WriteAllText(bundle, TokenServer.Signer.ExportCertificatePem());
                config.AppendLine($"auth:\n  token:\n    realm: {TokenServer.Realm}\n    service: {TokenServer.Service}\n    issuer: {TokenServer.Issuer}\n    rootcertbundle: {bundle}");
            }
            else
            {
                var htpasswd = new StringBuilder();
                foreach (var (user, password) in users)
                {
                    var made = ExternalProgram.Run("htpasswd", new[] { "-Bbn", user, password });
                    if (made.ExitCode != 0) throw new InvalidOperationException("htpasswd failed: " + made.Error);
                    htpasswd.Append(made.Output);
                }
                File.WriteAllText(Path.Combine(Directory, "htpasswd"), htpasswd.ToString());
                config.AppendLine($"auth:\n  htpasswd:\n    realm: test-registry\n    path: {Path.Combine(Directory, "htpasswd")}");
            }

            var configPath = Path.Combine(Directory, "config.yml");
            File.WriteAllText(configPath, config.ToString());
            StartRegistry(configPath);
            await WaitUntilReadyAsync();
            PushImage();
        }

        private void StartRegistry(string configPath)
        {
            var info = new ProcessStartInfo("docker-registry") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add("serve");
            info.ArgumentList.Add(configPath);
            _process = new Process { StartInfo = info };
            _process.OutputDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
            _process.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        /// <summary>Polls /v2/ until the registry answers (bounded), failing early if the process exits.</summary>
        private async Task WaitUntilReadyAsync()
        {
            using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
            if (ClientCertificate != null) handler.ClientCertificates.Add(ClientCertificate);
            using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
            var uri = new Uri((IsTls ? "https://" : "http://") + Host + "/v2/");
            for (var attempt = 0; attempt < 200; attempt++)
            {
                if (_process!.HasExited) throw new InvalidOperationException("docker-registry exited: " + Log);
                try
                {
                    using var response = await http.GetAsync(uri);
                    if (response.StatusCode == HttpStatusCode.Unauthorized) return;
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                catch (TaskCanceledException)
                {
                    // Listening, but too busy starting (a loaded machine) to answer within the poll's timeout: ask again.
                }
                await Task.Delay(25);
            }
            throw new TimeoutException("docker-registry did not answer on " + uri + ": " + Log);
        }

        /// <summary>Pushes the image again as <paramref name="prefix"/>0..n-1 with tags t0..t(m-1); returns their names.</summary>
        public IReadOnlyList<string> PushCopies(string prefix, int repositories, int tags)
        {
            var layout = Path.Combine(Directory, "layout");
            var names = new List<string>();
            for (var r = 0; r < repositories; r++)
            {
                for (var t = 0; t < tags; t++)
                {
                    var name = $"{Host}/{prefix}{r}:t{t}";
                    var result = ExternalProgram.Run("skopeo", new[] { "--insecure-policy", "copy", "--quiet", "--dest-creds", User + ":" + Password, "--dest-tls-verify=false",
                        "oci:" + layout + ":" + Tag, "docker://" + name });
                    if (result.ExitCode != 0) throw new InvalidOperationException("skopeo copy failed: " + result.Error);
                    names.Add(name);
                }
            }
            return names;
        }

        private void PushImage()
        {
            var layout = Path.Combine(Directory, "layout");
            OciLayout.Write(layout, Tag);
            var arguments = new List<string> { "--insecure-policy", "copy", "--quiet", "--dest-creds", User + ":" + Password, "--dest-tls-verify=false" };
            if (ClientCertificateDirectory != null) arguments.AddRange(new[] { "--dest-cert-dir", ClientCertificateDirectory });
            arguments.AddRange(new[] { "oci:" + layout + ":" + Tag, "docker://" + Host + "/" + Repository + ":" + Tag });
            var result = ExternalProgram.Run("skopeo", arguments);
            if (result.ExitCode != 0) throw new InvalidOperationException("skopeo copy failed: " + result.Error + "\n" + Log);
        }

        private static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        /// <summary>The htpasswd users (token mode has its own).</summary>
        protected virtual Dictionary<string, string> Users() => new Dictionary<string, string> { [User] = Password, [PullUser] = PullPassword };

        public async Task DisposeAsync()
        {
            if (_process != null)
            {
                if (!_process.HasExited) _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
                _process.Dispose();
            }
            if (TokenServer != null) await TokenServer.DisposeAsync();
            Ca?.Dispose();
            ClientCertificate?.Dispose();
            try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
        }
    }

    public sealed class HtpasswdRegistryFixture : RegistryFixture
    {
        public HtpasswdRegistryFixture() : base(RegistryAuthMode.HtpasswdHttp) { }
    }

    /// <summary>An htpasswd registry that also knows user AWS with the password of the ECR token the fake ECR issues.</summary>
    public sealed class EcrRegistryFixture : RegistryFixture
    {
        public const string AwsPassword = "Canary-ecr-token-password-91c2";

        public EcrRegistryFixture() : base(RegistryAuthMode.HtpasswdHttp) { }

        protected override Dictionary<string, string> Users()
        {
            var users = base.Users();
            users["AWS"] = AwsPassword;
            return users;
        }
    }

    public sealed class TlsRegistryFixture : RegistryFixture
    {
        public TlsRegistryFixture() : base(RegistryAuthMode.HtpasswdTls) { }
    }

    public sealed class MutualTlsRegistryFixture : RegistryFixture
    {
        public MutualTlsRegistryFixture() : base(RegistryAuthMode.HtpasswdMutualTls) { }
    }

    public sealed class TokenRegistryFixture : RegistryFixture
    {
        public TokenRegistryFixture() : base(RegistryAuthMode.Token) { }
    }

    [CollectionDefinition(Name)]
    public sealed class HtpasswdRegistryCollection : ICollectionFixture<HtpasswdRegistryFixture>
    {
        public const string Name = "htpasswd registry";
    }

    [CollectionDefinition(Name)]
    public sealed class EcrRegistryCollection : ICollectionFixture<EcrRegistryFixture>
    {
        public const string Name = "ECR registry";
    }

    [CollectionDefinition(Name)]
    public sealed class TlsRegistryCollection : ICollectionFixture<TlsRegistryFixture>
    {
        public const string Name = "TLS registry";
    }

    [CollectionDefinition(Name)]
    public sealed class TokenRegistryCollection : ICollectionFixture<TokenRegistryFixture>
    {
        public const string Name = "token registry";
    }
}
