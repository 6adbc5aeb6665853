using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.Access;
using CodespaceRegistry.Distribution;
using CodespaceRegistry.Secrets;
using CodespaceRegistry.Tests.Fixtures;

namespace CodespaceRegistry.Benchmarks
{
    /// <summary>
    /// Checks N secret sets against N local registries (docker-registry, htpasswd) and compares, in the same run, with
    /// <c>skopeo login</c> + <c>skopeo inspect</c> on the same registries. Round trips are counted twice: by our client,
    /// and by the registries themselves (their access logs), which counts skopeo's too.
    /// Usage: dotnet run -c Release --project bench/CodespaceRegistry.Benchmarks -- [N]
    /// </summary>
    public static class Program
    {
        public static async Task<int> Main(string[] args)
        {
            var n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
            var registries = Enumerable.Range(0, n).Select(_ => new HtpasswdRegistryFixture()).ToList();
            await Task.WhenAll(registries.Select(r => r.InitializeAsync()));
            try
            {
                var sets = registries.Select((r, i) => SecretSetReader.FromEnvironment(new Dictionary<string, string?>
                {
                    ["BENCH" + i + RegistrySecretSet.ServerSuffix] = r.Host,
                    ["BENCH" + i + RegistrySecretSet.UserSuffix] = RegistryFixture.User,
                    ["BENCH" + i + RegistrySecretSet.PasswordSuffix] = RegistryFixture.Password,
                }, DateTimeOffset.UtcNow).Single()).ToList();

                await WarmUpAsync(registries[0]);
                Console.WriteLine($"{n} secret sets against {n} local registries (docker-registry {Version()}, htpasswd, plain HTTP on 127.0.0.1)");
                Console.WriteLine();
                Console.WriteLine("| what | wall time | per check | round trips per check (our client, incl. the https probe) | HTTP requests per check (registry access log) |");
                Console.WriteLine("|---|---|---|---|---|");

                var ours = await MeasureAsync(registries, async () =>
                {
                    using var client = new RegistryClient();
                    var tester = new RegistryAccessTester(client);
                    var reports = await Task.WhenAll(tester.StartAll(sets.Select((s, i) => RegistryAccessTarget.ForSecretSet(s, registries[i].Image)), false, 4, CancellationToken.None));
                    if (reports.Any(r => !r.Passed)) throw new InvalidOperationException("a check failed: " + reports.First(r => !r.Passed));
                    return client.RoundTrips;
                });
                Row("Test-RegistryAccess engine (all checks, throttle 4)", n, ours);

                var login = await MeasureAsync(registries, async () =>
                {
                    using var client = new RegistryClient();
                    foreach (var (set, registry) in sets.Zip(registries))
                    {
                        var credential = await new CredentialResolver().ResolveAsync(set, CancellationToken.None);
                        await client.AuthenticateAsync(registry.Server, credential);
                        var pull = await client.CheckAccessAsync(registry.Image, credential, push: false);
                        if (!pull.Allowed) throw new InvalidOperationException(pull.ToString());
                    }
                    return client.RoundTrips;
                });
                Row("RegistryClient login verification + pull check, sequential", n, login);

                var skopeo = await MeasureAsync(registries, () =>
                {
                    var authFile = Path.Combine(Path.GetTempPath(), "bench-auth-" + Guid.NewGuid().ToString("N") + ".json");
                    try
                    {
                        foreach (var registry in registries)
                        {
                            Check(ExternalProgram.Run("skopeo", new[] { "login", "--tls-verify=false", "--authfile", authFile, "-u", RegistryFixture.User, "--password-stdin", registry.Host }, input: RegistryFixture.Password));
                            Check(ExternalProgram.Run("skopeo", new[] { "inspect", "--raw", "--tls-verify=false", "--authfile", authFile, "docker://" + registry.Image.FullName }));
                        }
                    }
                    finally
                    {
                        File.Delete(authFile);
                    }
                    return Task.FromResult(-1);
                });
                Row("skopeo login + skopeo inspect --raw, sequential", n, skopeo);
                Console.WriteLine();
                Console.WriteLine($"skopeo / Test-RegistryAccess wall time: {skopeo.Wall.TotalMilliseconds / ours.Wall.TotalMilliseconds:0.0}x; " +
                    $"skopeo / RegistryClient: {skopeo.Wall.TotalMilliseconds / login.Wall.TotalMilliseconds:0.0}x");
                return 0;
            }
            finally
            {
                foreach (var r in registries) await r.DisposeAsync();
            }
        }

        private sealed record Measurement(TimeSpan Wall, int ClientRoundTrips, int RegistryRequests);

        private static async Task<Measurement> MeasureAsync(IReadOnlyList<RegistryFixture> registries, Func<Task<int>> work)
        {
            var before = await SettledRequestsAsync(registries);
            var watch = Stopwatch.StartNew();
            var roundTrips = await work();
            watch.Stop();
            var after = await SettledRequestsAsync(registries);
            return new Measurement(watch.Elapsed, roundTrips, after - before);
        }

        /// <summary>Requests the registries logged, once their logs stop growing (log lines arrive asynchronously).</summary>
        private static async Task<int> SettledRequestsAsync(IReadOnlyList<RegistryFixture> registries)
        {
            var last = -1;
            for (var attempt = 0; attempt < 100; attempt++)
            {
                var count = registries.Sum(r => r.RequestsLogged);
                if (count == last) return count;
                last = count;
                await Task.Delay(20);
            }
            return last;
        }

        private static async Task WarmUpAsync(RegistryFixture registry)
        {
            using var client = registry.Client();
            await client.CheckAccessAsync(registry.Image, RegistryFixture.Credential(RegistryFixture.User, RegistryFixture.Password), push: false);
        }

        private static void Row(string what, int n, Measurement m) =>
            Console.WriteLine($"| {what} | {m.Wall.TotalMilliseconds:0} ms | {m.Wall.TotalMilliseconds / n:0.0} ms | " +
                $"{(m.ClientRoundTrips < 0 ? "n/a" : ((double)m.ClientRoundTrips / n).ToString("0.0", CultureInfo.InvariantCulture))} | {(double)m.RegistryRequests / n:0.0} |");

        private static void Check((int ExitCode, string Output, string Error) result)
        {
            if (result.ExitCode != 0) throw new InvalidOperationException("skopeo failed: " + result.Error);
        }

        private static string Version() => ExternalProgram.Run("docker-registry", new[] { "--version" }).Output.Trim().Split(' ').Last();
    }
}
