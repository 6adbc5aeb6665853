using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using CodespaceRegistry.Access;
using CodespaceRegistry.Tests.Fixtures;

namespace CodespaceRegistry.Benchmarks
{
    /// <summary>
    /// The module as a user runs it (the staged module in <c>dotnet pwsh</c>) against real registries on 127.0.0.1 —
    /// CNCF Distribution with Basic (htpasswd) over plain HTTP and over TLS, and with Bearer auth (its token server) — side by side with skopeo on the
    /// same registries, in the same run. Requests are counted where they arrive: the registries' access logs and the
    /// token server. Times are measured inside pwsh (process start-up is not a check's cost) and, for skopeo, around
    /// the process, which is what a user waits for. Last, in the same run, bench/Measure-CredentialHelpers.sh compares
    /// the credential helper's warm get with docker-credential-ecr-login's.
    /// Usage: dotnet run -c Release --project bench/CodespaceRegistry.Benchmarks -- [images=100] [runs=5]
    /// Needs: out/CodespaceRegistry (dotnet pwsh ./build.ps1), `dotnet tool restore`, docker-registry, skopeo, htpasswd,
    /// and for the helpers hyperfine, strace and docker-credential-ecr-login.
    /// </summary>
    public static class Program
    {
        private const string SetName = "BENCH";

        public static async Task<int> Main(string[] args)
        {
            var images = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
            var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
            var root = FindRepoRoot();
            var module = Path.Combine(root, "out", "CodespaceRegistry");
            if (!File.Exists(Path.Combine(module, "CodespaceRegistry.psd1"))) throw new InvalidOperationException("Stage the module first: dotnet pwsh ./build.ps1");

            Console.WriteLine($"docker-registry {Version("docker-registry", "--version")}, skopeo {Version("skopeo", "--version")}, {images} images, median of {runs} runs; 2-core machine");
            Console.WriteLine();
            Console.WriteLine("| auth | what | time | HTTP requests (registry + token server) |");
            Console.WriteLine("|---|---|---|---|");
            foreach (RegistryFixture registry in new RegistryFixture[] { new HtpasswdRegistryFixture(), new TlsRegistryFixture(), new TokenRegistryFixture() })
            {
                await registry.InitializeAsync();
                try
                {
                    await MeasureAsync(registry, root, module, images, runs);
                }
                finally
                {
                    await registry.DisposeAsync();
                }
            }

            // In the same run: the credential helper's warm get against docker-credential-ecr-login's.
            Console.WriteLine();
            var helpers = ExternalProgram.Run("bash", new[] { Path.Combine(root, "bench", "Measure-CredentialHelpers.sh") });
            Console.WriteLine(helpers.ExitCode == 0 ? helpers.Output : "bench/Measure-CredentialHelpers.sh failed: " + helpers.Error);
            return helpers.ExitCode;
        }

        private static async Task MeasureAsync(RegistryFixture registry, string root, string module, int imageCount, int runs)
        {
            var auth = registry.Mode == RegistryAuthMode.Token ? "Bearer" : registry.Mode == RegistryAuthMode.HtpasswdTls ? "Basic, TLS" : "Basic";
            var images = PushImages(registry, imageCount);
            var image = registry.Image.FullName;
            // Over TLS, the module and skopeo both verify the registry's certificate against its CA in a certs.d folder.
            var certsD = Path.Combine(registry.Directory, "certs.d");
            if (registry.Ca != null)
            {
                Directory.CreateDirectory(Path.Combine(certsD, registry.Host));
                File.WriteAllText(Path.Combine(certsD, registry.Host, "ca.crt"), registry.Ca.ExportCertificatePem());
            }
            var tls = registry.Ca != null ? new[] { "--cert-dir", Path.Combine(certsD, registry.Host) } : new[] { "--tls-verify=false" };
            var environment = new Dictionary<string, string>
            {
                [SetName + "_CONTAINER_REGISTRY_SERVER"] = registry.Host,
                [SetName + "_CONTAINER_REGISTRY_USER"] = RegistryFixture.User,
                [SetName + "_CONTAINER_REGISTRY_PASSWORD"] = RegistryFixture.Password,
                ["POWERSHELL_TELEMETRY_OPTOUT"] = "1",
                ["POWERSHELL_UPDATECHECK"] = "Off",
                ["DOCKER_CONFIG"] = Path.Combine(registry.Directory, "docker"),
                ["CODESPACE_REGISTRY_CERTS_D"] = certsD,
            };
            var check = $"$r = Get-RegistrySecretSet -Name {SetName} | Test-RegistryAccess -Image '{image}'; if (-not $r.Passed) {{ throw $r.FirstFailure.Detail }}";
            // At the prompt, the report is shown: formatted with the module's view (Out-String formats as the console does).
            var shown = $"Get-RegistrySecretSet -Name {SetName} | Test-RegistryAccess -Image '{image}' | Out-String";

            // The first check right after Import-Module (a script), each in a fresh session; then a second check in the
            // same session. And, as a person types: a second after Import-Module, PowerShell's own first command (Get-Date:
            // the floor no module can go below), then the first check; and the same with output shown.
            var first = new List<double>();
            var firstRequests = new List<int>();
            var second = new List<double>();
            var secondRequests = new List<int>();
            var import = new List<double>();
            var typed = new List<double>();
            var floor = new List<double>();
            var typedShown = new List<double>();
            var firstCold = new List<double>();
            var typedCold = new List<double>();
            var cold = new Dictionary<string, string>(environment) { [ColdStart.OptOutVariable] = "1" };
            var floorShown = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                var session = await PwshSession.StartAsync(root, environment, module);
                import.Add(session.ImportMilliseconds);
                var (ms, requests) = await CountedAsync(registry, () => session.TimeAsync(check));
                first.Add(ms);
                firstRequests.Add(requests);
                (ms, requests) = await CountedAsync(registry, () => session.TimeAsync(check));
                second.Add(ms);
                secondRequests.Add(requests);
                await session.DisposeAsync();

                session = await PwshSession.StartAsync(root, environment, module);
                await Task.Delay(1000);
                floor.Add(await session.TimeAsync("Get-Date"));
                typed.Add(await session.TimeAsync(check));
                await session.DisposeAsync();

                session = await PwshSession.StartAsync(root, environment, module);
                await Task.Delay(1000);
                floorShown.Add(await session.TimeAsync("Get-Date | Out-String"));
                typedShown.Add(await session.TimeAsync(shown));
                await session.DisposeAsync();

                // The same first checks with the import-time warm-up turned off.
                session = await PwshSession.StartAsync(root, cold, module);
                firstCold.Add(await session.TimeAsync(check));
                await session.DisposeAsync();
                session = await PwshSession.StartAsync(root, cold, module);
                await Task.Delay(1000);
                await session.TimeAsync("Get-Date");
                typedCold.Add(await session.TimeAsync(check));
                await session.DisposeAsync();
            }

            var skopeoOne = new List<double>();
            var skopeoRequests = new List<int>();
            for (var run = 0; run < runs; run++)
            {
                var (ms, requests) = await CountedAsync(registry, () => Task.FromResult(Skopeo(image, tls)));
                skopeoOne.Add(ms);
                skopeoRequests.Add(requests);
            }

            // One set against every image in one pipeline, each run in a fresh session right after Import-Module; skopeo
            // inspects the same images one by one. Medians, of runs pipelines and of three skopeo rounds.
            var list = string.Join(",", images.Select(i => "'" + i + "'"));
            var many = new List<double>();
            var manyRequests = 0;
            var manyAgain = new List<double>();
            var manyAgainRequests = 0;
            for (var run = 0; run < runs; run++)
            {
                var pipeline = await PwshSession.StartAsync(root, environment, module);
                var line = $"$r = Get-RegistrySecretSet -Name {SetName} | Test-RegistryAccess -Image {list} -ThrottleLimit 8; if (@($r | Where-Object {{ -not $_.Passed }}).Count) {{ throw 'a check failed' }}";
                var (ms, requests) = await CountedAsync(registry, () => pipeline.TimeAsync(line));
                var (again, againRequests) = await CountedAsync(registry, () => pipeline.TimeAsync(line));
                await pipeline.DisposeAsync();
                many.Add(ms);
                manyAgain.Add(again);
                manyAgainRequests = againRequests;
                manyRequests = requests;
            }
            var skopeoMany = new List<double>();
            var skopeoManyRequests = 0;
            for (var run = 0; run < Math.Min(runs, 3); run++)
            {
                var (ms, requests) = await CountedAsync(registry, () => Task.FromResult(images.Sum(i => Skopeo(i, tls))));
                skopeoMany.Add(ms);
                skopeoManyRequests = requests;
            }
            var manyMs = Median(many);
            var skopeoManyMs = Median(skopeoMany);

            Row(auth, "Import-Module", Median(import), null);
            Row(auth, "first check right after Import-Module", Median(first), Median(firstRequests));
            Row(auth, "PowerShell's own first command (`Get-Date`), a second after Import-Module", Median(floor), null);
            Row(auth, "then the first check", Median(typed), null);
            Row(auth, "the same two, output shown (`| Out-String`): `Get-Date`", Median(floorShown), null);
            Row(auth, "then the first check, its report shown", Median(typedShown), null);
            Row(auth, "without the warm-up (" + ColdStart.OptOutVariable + "): first check right after Import-Module", Median(firstCold), null);
            Row(auth, "without the warm-up: the first check after `Get-Date`", Median(typedCold), null);
            Row(auth, "`skopeo inspect --raw`, one image", Median(skopeoOne), Median(skopeoRequests));
            Row(auth, "second check, same session", Median(second), Median(secondRequests));
            Row(auth, $"one set x {images.Count} images, one pipeline (fresh session)", manyMs, manyRequests);
            Row(auth, "the same pipeline again, same session", Median(manyAgain), manyAgainRequests);
            Row(auth, $"{images.Count} x `skopeo inspect --raw`, one after another", skopeoManyMs, skopeoManyRequests);
            Console.WriteLine($"| {auth} | ratios | first check / skopeo one: {Median(first) / Median(skopeoOne):0.00} right after import, {Median(typed) / Median(skopeoOne):0.00} after PowerShell's first command ({Median(typedShown) / Median(skopeoOne):0.00} shown); pipeline / skopeo {images.Count}: {manyMs / skopeoManyMs:0.00} in a fresh session, {Median(manyAgain) / skopeoManyMs:0.00} again | |");
        }

        /// <summary>Pushes <paramref name="count"/> images (repositories of five tags each) with skopeo, from the fixture's image.</summary>
        private static List<string> PushImages(RegistryFixture registry, int count)
        {
            var images = new List<string>();
            for (var i = 0; i < count; i++)
            {
                var image = $"{registry.Host}/bench/app{i / 5}:t{i % 5}";
                var copy = ExternalProgram.Run("skopeo", new[] { "--insecure-policy", "copy", "--quiet", "--src-tls-verify=false", "--dest-tls-verify=false",
                    "--src-creds", RegistryFixture.User + ":" + RegistryFixture.Password, "--dest-creds", RegistryFixture.User + ":" + RegistryFixture.Password,
                    "docker://" + registry.Image.FullName, "docker://" + image });
                if (copy.ExitCode != 0) throw new InvalidOperationException("skopeo copy failed: " + copy.Error);
                images.Add(image);
            }
            return images;
        }

        /// <summary>What one skopeo inspect costs the user: the whole process.</summary>
        private static double Skopeo(string image, string[] tls)
        {
            var watch = Stopwatch.StartNew();
            var result = ExternalProgram.Run("skopeo", new[] { "inspect", "--raw" }.Concat(tls).Concat(new[] { "--creds", RegistryFixture.User + ":" + RegistryFixture.Password, "docker://" + image }).ToArray());
            watch.Stop();
            if (result.ExitCode != 0) throw new InvalidOperationException("skopeo inspect failed: " + result.Error);
            return watch.Elapsed.TotalMilliseconds;
        }

        private static async Task<(double Milliseconds, int Requests)> CountedAsync(RegistryFixture registry, Func<Task<double>> work)
        {
            var before = await SettledRequestsAsync(registry);
            var ms = await work();
            var after = await SettledRequestsAsync(registry);
            return (ms, after - before);
        }

        /// <summary>Requests the registry and its token server have seen, once the registry's log stops growing (it is written asynchronously).</summary>
        private static async Task<int> SettledRequestsAsync(RegistryFixture registry)
        {
            var last = -1;
            for (var attempt = 0; attempt < 100; attempt++)
            {
                var count = registry.RequestsLogged + (registry.TokenServer?.Requests ?? 0);
                if (count == last) return count;
                last = count;
                await Task.Delay(30);
            }
            return last;
        }

        private static double Median(List<double> values)
        {
            var sorted = values.OrderBy(v => v).ToList();
            return sorted[sorted.Count / 2];
        }

        private static int Median(List<int> values) => values.OrderBy(v => v).ElementAt(values.Count / 2);

        private static void Row(string auth, string what, double ms, int? requests) =>
            Console.WriteLine($"| {auth} | {what} | {ms:0.0} ms | {(requests?.ToString(CultureInfo.InvariantCulture) ?? "")} |");

        private static string Version(string program, string argument) =>
            ExternalProgram.Run(program, new[] { argument }).Output.Trim().Split(' ').Last();

        private static string FindRepoRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CodespaceRegistry.sln"))) return dir.FullName;
            }
            throw new InvalidOperationException("Run from within the repository.");
        }
    }
}
