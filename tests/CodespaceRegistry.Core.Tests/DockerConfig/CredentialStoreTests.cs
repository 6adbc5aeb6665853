using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.DockerConfig;
using CodespaceRegistry.Registries;
using Xunit;

using CodespaceRegistry.Tests.Fixtures;

namespace CodespaceRegistry.Tests.DockerConfig
{
    /// <summary>The credential store on the file alone: what it keeps, what it refuses, how it writes.</summary>
    public class CredentialStoreTests : IDisposable
    {
        internal const string Canary = "CANARY-9f3c1e77-secret";

        private readonly TempDirectory _temp = new TempDirectory();

        public void Dispose() => _temp.Dispose();

        private string ConfigPath => _temp.Combine("docker", "config.json");

        private CredentialStore Store(TimeSpan? lockTimeout = null) =>
            new CredentialStore(new DockerConfigLocation(ConfigPath, CredentialFileFormat.Docker), NoHelpers(), lockTimeout);

        internal static CredentialHelperClient NoHelpers() => new CredentialHelperClient(findProgram: _ => null);

        internal static RegistryCredential Credential(string user = "octocat", string secret = Canary) =>
            new RegistryCredential(user, SecureStrings.ToSecureString(secret));

        private static RegistryServer Server(string s) => RegistryServer.Parse(s);

        private void WriteConfig(string json)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(ConfigPath)!);
            File.WriteAllText(ConfigPath, json);
        }

        private JsonObject ReadConfig() => (JsonObject)JsonNode.Parse(File.ReadAllText(ConfigPath))!;

        internal static string Decode(JsonNode? auth) => Encoding.UTF8.GetString(Convert.FromBase64String(auth!.GetValue<string>()));

        private const string RichConfig = @"{
  ""auths"": {
    ""other.example.com"": { ""auth"": ""b3RoZXI6cGFzcw=="", ""email"": ""me@example.com"" },
    ""ghcr.io"": { ""auth"": ""b2xkOm9sZA=="", ""email"": ""keep@example.com"" }
  },
  ""HttpHeaders"": { ""User-Agent"": ""custom/1.0"" },
  ""psFormat"": ""table {{.ID}}\t{{.Names}}"",
  ""detachKeys"": ""ctrl-e,e"",
  ""currentContext"": ""remote"",
  ""plugins"": { ""buildx"": { ""ratio"": 1.50, ""list"": [1, true, null, ""x""] } },
  ""proxies"": { ""default"": { ""httpProxy"": ""http://proxy:3128"" } },
  ""futureField"": { ""nested"": { ""deeper"": [ { ""a"": 1e3 } ] } }
}";

        [Fact]
        public async Task StoreKeepsEveryUnknownFieldAndEveryOtherEntry()
        {
            WriteConfig(RichConfig);
            var before = ReadConfig();

            var location = await Store().StoreAsync(Server("https://ghcr.io"), Credential(), CancellationToken.None);

            Assert.Equal(CredentialSource.ConfigFile, location.Source);
            Assert.Equal("ghcr.io", location.ConfigKey);
            Assert.Contains(location.Warnings, w => w.Id == DockerConfigWarning.PlainTextCredential);
            var after = ReadConfig();
            var ghcr = (JsonObject)after["auths"]!["ghcr.io"]!;
            Assert.Equal("octocat:" + Canary, Decode(ghcr["auth"]));
            Assert.Equal("keep@example.com", ghcr["email"]!.GetValue<string>());

            // Everything but the one credential is as it was: same fields, same values, same order.
            ghcr["auth"] = before["auths"]!["ghcr.io"]!["auth"]!.GetValue<string>();
            Assert.True(JsonNode.DeepEquals(before, after), after.ToJsonString());
            Assert.Equal(before.Select(p => p.Key), after.Select(p => p.Key));
        }

        [Fact]
        public async Task StoreCreatesTheFileAndItsDirectoryOwnerOnly()
        {
            if (OperatingSystem.IsWindows()) return;
            await Store().StoreAsync(Server("ghcr.io"), Credential(), CancellationToken.None);

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ConfigPath));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(ConfigPath)!));
            Assert.Equal(new[] { "config.json", "config.json.lock" }, Directory.GetFiles(Path.GetDirectoryName(ConfigPath)!).Select(Path.GetFileName).OrderBy(n => n));
        }

        [Fact]
        public async Task StoreTightensAReadableFileAndKeepsAStricterMode()
        {
            if (OperatingSystem.IsWindows()) return;
            WriteConfig("{}");
            File.SetUnixFileMode(ConfigPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            await Store().StoreAsync(Server("ghcr.io"), Credential(), CancellationToken.None);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ConfigPath));

            File.SetUnixFileMode(ConfigPath, UnixFileMode.UserRead);
            await Store().StoreAsync(Server("quay.io"), Credential(), CancellationToken.None);
            Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(ConfigPath));
            Assert.NotNull(ReadConfig()["auths"]!["quay.io"]);
        }

        [Fact]
        public async Task StoreWritesThroughASymbolicLink()
        {
            if (OperatingSystem.IsWindows()) return;
            var real = _temp.Combine("dotfiles", "docker-config.json");
            Directory.CreateDirectory(Path.GetDirectoryName(real)!);
            File.WriteAllText(real, @"{""auths"":{}}");
            Directory.CreateDirectory(Path.GetDirectoryName(ConfigPath)!);
            File.CreateSymbolicLink(ConfigPath, real);

            await Store().StoreAsync(Server("ghcr.io"), Credential(), CancellationToken.None);

            Assert.NotNull(new FileInfo(ConfigPath).LinkTarget);
            Assert.Contains("ghcr.io", File.ReadAllText(real));
        }

        [Theory]
        [InlineData(@"{""auths"": {""ghcr.io"": {""auth"": """ + Canary + @"""},}")]
        [InlineData(@"{""auths"": {""ghcr.io"": {""auth"": """ + Canary)]
        [InlineData(@"[""not"", ""an"", ""object""]")]
        [InlineData(@"{""auths"": [""ghcr.io""]}")]
        [InlineData(@"{""credHelpers"": {""ghcr.io"": 7}}")]
        [InlineData(@"{""auths"": {""ghcr.io"": """ + Canary + @"""}}")]
        public async Task AConfigThatDoesNotParseIsAnErrorAndLeftByteForByte(string content)
        {
            WriteConfig(content);
            var bytes = File.ReadAllBytes(ConfigPath);
            var store = Store();
            var server = Server("ghcr.io");

            var failures = new[]
            {
                await Assert.ThrowsAsync<RegistryException>(() => store.StoreAsync(server, Credential(), CancellationToken.None)),
                await Assert.ThrowsAsync<RegistryException>(() => store.GetAsync(server, CancellationToken.None)),
                await Assert.ThrowsAsync<RegistryException>(() => store.EraseAsync(server, CancellationToken.None)),
                await Assert.ThrowsAsync<RegistryException>(() => store.RegisterHelperAsync(server, "codespaces", CancellationToken.None)),
                await Assert.ThrowsAsync<RegistryException>(() => store.DescribeAsync(server, CancellationToken.None)),
            };

            Assert.Equal(bytes, File.ReadAllBytes(ConfigPath));
            Assert.DoesNotContain(Directory.GetFiles(Path.GetDirectoryName(ConfigPath)!), f => f.EndsWith(".tmp", StringComparison.Ordinal));
            foreach (var e in failures)
            {
                Assert.Equal("DockerConfigUnreadable", e.ErrorId);
                Assert.Equal(ErrorKind.InvalidData, e.Kind);
                Assert.Contains(ConfigPath, e.Message);
                Assert.Contains("left exactly as it is", e.Message);
                Assert.DoesNotContain(Canary, e.Message);
            }
        }

        [Fact]
        public async Task AJsonErrorNamesItsLine()
        {
            WriteConfig("{\n  \"auths\": {\n    \"ghcr.io\": {}\n  },,\n}");
            var e = await Assert.ThrowsAsync<RegistryException>(() => Store().GetAsync(Server("ghcr.io"), CancellationToken.None));
            Assert.Contains("line 4", e.Message);
            Assert.NotNull(e.InnerException);
        }

        [Fact]
        public async Task AnEmptyFileIsAnEmptyConfig()
        {
            WriteConfig("  \n");
            Assert.Null(await Store().GetAsync(Server("ghcr.io"), CancellationToken.None));
            await Store().StoreAsync(Server("ghcr.io"), Credential(), CancellationToken.None);
            Assert.Equal("octocat:" + Canary, Decode(ReadConfig()["auths"]!["ghcr.io"]!["auth"]));
        }

        [Fact]
        public async Task GetReturnsWhatStoreWrote()
        {
            await Store().StoreAsync(Server("myreg.azurecr.io"), Credential("00000000-0000-0000-0000-000000000000"), CancellationToken.None);
            var credential = await Store().GetAsync(Server("https://MyReg.azurecr.io/"), CancellationToken.None);
            Assert.Equal("00000000-0000-0000-0000-000000000000", credential!.UserName);
            Assert.Equal(Canary, SecureStrings.Reveal(credential.Password));
            Assert.DoesNotContain(Canary, credential.ToString());
        }

        [Fact]
        public async Task AnIdentityTokenRoundTripsAsTheTokenUser()
        {
            await Store().StoreAsync(Server("ghcr.io"), Credential(CredentialStore.IdentityTokenUserName), CancellationToken.None);
            Assert.Equal(Canary, ReadConfig()["auths"]!["ghcr.io"]!["identitytoken"]!.GetValue<string>());
            var credential = await Store().GetAsync(Server("ghcr.io"), CancellationToken.None);
            Assert.Equal(CredentialStore.IdentityTokenUserName, credential!.UserName);
            Assert.Equal(Canary, SecureStrings.Reveal(credential.Password));
        }

        [Fact]
        public async Task DockerHubIsKeyedAsTheIndexAndDockerIoIsNotReadForIt()
        {
            WriteConfig(@"{""auths"": {""docker.io"": {""auth"": ""dXNlcjpvbGQ=""}}}");
            var store = Store();
            Assert.Null(await store.GetAsync(Server("docker.io"), CancellationToken.None));
            var description = await store.DescribeAsync(Server("docker.io"), CancellationToken.None);
            Assert.Equal(CredentialSource.None, description.Source);
            Assert.Contains(description.Warnings, w => w.Id == DockerConfigWarning.AuthsKeyIgnored && w.Message.Contains("https://index.docker.io/v1/"));

            var location = await store.StoreAsync(Server("docker.io"), Credential(), CancellationToken.None);
            Assert.Equal(RegistryServer.DockerHubConfigKey, location.ConfigKey);
            Assert.Equal("octocat:" + Canary, Decode(ReadConfig()["auths"]![RegistryServer.DockerHubConfigKey]!["auth"]));
            Assert.NotNull(ReadConfig()["auths"]!["docker.io"]);
        }

        [Fact]
        public async Task ASchemeOrPathKeyServesItsHostAsDockerReadsIt()
        {
            WriteConfig(@"{""auths"": {""https://ghcr.io/v2/"": {""auth"": ""dXNlcjpvbGQ=""}}}");
            var credential = await Store().GetAsync(Server("ghcr.io"), CancellationToken.None);
            Assert.Equal("user", credential!.UserName);
        }

        [Fact]
        public async Task DuplicateEntriesAreReported()
        {
            WriteConfig(@"{""auths"": {""ghcr.io"": {""auth"": ""dXNlcjpuZXc=""}, ""https://ghcr.io"": {""auth"": ""dXNlcjpvbGQ=""}}}");
            var description = await Store().DescribeAsync(Server("ghcr.io"), CancellationToken.None);
            Assert.Equal(CredentialSource.ConfigFile, description.Source);
            Assert.Equal("ghcr.io", description.AuthsKey);
            Assert.Contains(description.Warnings, w => w.Id == DockerConfigWarning.DuplicateAuthsEntries);
        }

        [Fact]
        public async Task EraseRemovesTheServersEntriesOnly()
        {
            WriteConfig(RichConfig.Replace(@"""ghcr.io"":", @"""https://ghcr.io"": {""auth"": ""dXNlcjpvbGQ=""}, ""ghcr.io"":"));
            var store = Store();
            Assert.True(await store.EraseAsync(Server("ghcr.io"), CancellationToken.None));
            var auths = (JsonObject)ReadConfig()["auths"]!;
            Assert.Equal(new[] { "other.example.com" }, auths.Select(p => p.Key));
            Assert.Equal("custom/1.0", ReadConfig()["HttpHeaders"]!["User-Agent"]!.GetValue<string>());
            Assert.False(await store.EraseAsync(Server("ghcr.io"), CancellationToken.None));
        }

        [Fact]
        public async Task EraseWithoutAFileCreatesNothing()
        {
            Assert.False(await Store().EraseAsync(Server("ghcr.io"), CancellationToken.None));
            Assert.False(Directory.Exists(Path.GetDirectoryName(ConfigPath)));
        }

        [Fact]
        public async Task RegisterHelperSetsCredHelpersAndDropsTheStaleEntry()
        {
            WriteConfig(RichConfig.Replace(@"""HttpHeaders""", @"""credHelpers"": {""gcr.io"": ""gcloud""}, ""HttpHeaders"""));
            var server = Server("123456789012.dkr.ecr.eu-west-1.amazonaws.com");
            await Store().StoreAsync(server, Credential("AWS"), CancellationToken.None);

            var location = await Store().RegisterHelperAsync(server, "codespaces", CancellationToken.None);

            Assert.Equal(CredentialSource.CredentialHelper, location.Source);
            Assert.Equal("codespaces", location.HelperName);
            Assert.Contains(location.Warnings, w => w.Id == DockerConfigWarning.CredentialHelperNotInstalled);
            var config = ReadConfig();
            Assert.Equal("codespaces", config["credHelpers"]![server.ConfigKey]!.GetValue<string>());
            Assert.Equal("gcloud", config["credHelpers"]!["gcr.io"]!.GetValue<string>());
            Assert.Null(config["auths"]![server.ConfigKey]);
            Assert.NotNull(config["auths"]!["ghcr.io"]);
            Assert.DoesNotContain(Canary, File.ReadAllText(ConfigPath));
        }

        [Theory]
        [InlineData("docker-credential-codespaces")]
        [InlineData("/usr/bin/codespaces")]
        [InlineData(" ")]
        public async Task RegisterHelperWantsTheNameAfterThePrefix(string name)
        {
            var e = await Assert.ThrowsAsync<RegistryException>(() => Store().RegisterHelperAsync(Server("ghcr.io"), name, CancellationToken.None));
            Assert.Equal("InvalidCredentialHelperName", e.ErrorId);
            Assert.False(File.Exists(ConfigPath));
        }

        [Fact]
        public async Task ACredHelpersKeyDockerDoesNotMatchIsReported()
        {
            WriteConfig(@"{""credHelpers"": {""https://ghcr.io"": ""pass""}, ""auths"": {""ghcr.io"": {""auth"": ""dXNlcjpvbGQ=""}}}");
            var description = await Store().DescribeAsync(Server("ghcr.io"), CancellationToken.None);
            Assert.Equal(CredentialSource.ConfigFile, description.Source);
            Assert.Equal("https://ghcr.io", description.IgnoredHelperKey);
            Assert.Contains(description.Warnings, w => w.Id == DockerConfigWarning.CredHelpersKeyIgnored);
        }

        [Fact]
        public async Task AnEmptyEntryWithoutAHelperIsReported()
        {
            WriteConfig(@"{""auths"": {""ghcr.io"": {}}}");
            var description = await Store().DescribeAsync(Server("ghcr.io"), CancellationToken.None);
            Assert.Equal(CredentialSource.None, description.Source);
            Assert.False(description.AuthsEntryHasCredential);
            Assert.Contains(description.Warnings, w => w.Id == DockerConfigWarning.EmptyAuthsEntry);
        }

        [Fact]
        public async Task AnEmptyCredHelpersEntryKeepsTheServerInTheFileDespiteCredsStore()
        {
            WriteConfig(@"{""credsStore"": ""not-installed"", ""credHelpers"": {""ghcr.io"": """"}}");
            var location = await Store().StoreAsync(Server("ghcr.io"), Credential(), CancellationToken.None);
            Assert.Equal(CredentialSource.ConfigFile, location.Source);
            Assert.Equal(Canary, SecureStrings.Reveal((await Store().GetAsync(Server("ghcr.io"), CancellationToken.None))!.Password));
        }

        [Fact]
        public async Task AnUndecodableAuthIsAnErrorWithoutTheValue()
        {
            var noColon = Convert.ToBase64String(Encoding.UTF8.GetBytes(Canary));
            WriteConfig($@"{{""auths"": {{""ghcr.io"": {{""auth"": ""{noColon}""}}, ""quay.io"": {{""auth"": ""{Canary}!""}}}}}}");
            foreach (var host in new[] { "ghcr.io", "quay.io" })
            {
                var e = await Assert.ThrowsAsync<RegistryException>(() => Store().GetAsync(Server(host), CancellationToken.None));
                Assert.Equal("DockerConfigEntryInvalid", e.ErrorId);
                Assert.Contains(host, e.Message);
                Assert.DoesNotContain(Canary, e.Message);
                Assert.DoesNotContain(noColon, e.Message);
                Assert.DoesNotContain(Canary, e.InnerException?.Message ?? "");
            }
        }

        [Fact]
        public async Task ParallelStoresFromSeparateStoresAllSurvive()
        {
            WriteConfig(RichConfig);
            var hosts = Enumerable.Range(1, 100).Select(i => $"registry{i}.example.com").ToArray();

            await Task.WhenAll(hosts.Select(h => Task.Run(() => Store().StoreAsync(Server(h), Credential(h), CancellationToken.None))));

            var auths = (JsonObject)ReadConfig()["auths"]!;
            foreach (var h in hosts) Assert.Equal(h + ":" + Canary, Decode(auths[h]!["auth"]));
            Assert.NotNull(auths["other.example.com"]);
            Assert.Equal("remote", ReadConfig()["currentContext"]!.GetValue<string>());
        }

        // With the lock held elsewhere: a writer gives up at its timeout and leaves the file; another waits, and
        // writes once release() lets the lock go.
        private async Task AssertWritersWaitForTheLock(Action release)
        {
            var bytes = File.ReadAllBytes(ConfigPath);
            var e = await Assert.ThrowsAsync<RegistryException>(() =>
                Store(TimeSpan.FromMilliseconds(200)).StoreAsync(Server("ghcr.io"), Credential(), CancellationToken.None));
            Assert.Equal("DockerConfigLocked", e.ErrorId);
            Assert.Contains(ConfigPath + ".lock", e.Message);
            Assert.Equal(bytes, File.ReadAllBytes(ConfigPath));

            var waiting = Store(TimeSpan.FromSeconds(30)).StoreAsync(Server("ghcr.io"), Credential("late"), CancellationToken.None);
            Assert.False(waiting.IsCompleted);
            Assert.Equal(bytes, File.ReadAllBytes(ConfigPath));
            release();
            await waiting;
            Assert.Equal("late:" + Canary, Decode(ReadConfig()["auths"]!["ghcr.io"]!["auth"]));
        }

        [Fact]
        public async Task AWriterWaitsForTheLockAndGivesUpWhenItIsNotReleased()
        {
            WriteConfig(RichConfig);
            using var held = new FileStream(ConfigPath + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            await AssertWritersWaitForTheLock(held.Dispose);
        }

        [Fact]
        public async Task AnotherProcessHoldingTheLockIsWaitedFor()
        {
            if (OperatingSystem.IsWindows()) return;
            WriteConfig(RichConfig);
            // util-linux flock(1) takes the same flock(2) lock .NET takes for FileShare.None, in a separate process,
            // and holds it until its stdin closes.
            var start = new ProcessStartInfo("flock") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true };
            foreach (var a in new[] { "--exclusive", ConfigPath + ".lock", "-c", "echo held; cat > /dev/null" }) start.ArgumentList.Add(a);
            using var holder = Process.Start(start)!;
            try
            {
                Assert.Equal("held", await holder.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)));
                await AssertWritersWaitForTheLock(holder.StandardInput.Close);
            }
            finally
            {
                if (!holder.HasExited) holder.Kill();
                holder.WaitForExit();
            }
        }

        [Fact]
        public async Task CancellingAWaitingWriterLeavesTheFile()
        {
            WriteConfig(RichConfig);
            var bytes = File.ReadAllBytes(ConfigPath);
            using var cancel = new CancellationTokenSource();
            using (new FileStream(ConfigPath + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
            {
                var waiting = Store(TimeSpan.FromSeconds(30)).StoreAsync(Server("ghcr.io"), Credential(), cancel.Token);
                cancel.Cancel();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
            }
            Assert.Equal(bytes, File.ReadAllBytes(ConfigPath));
        }
    }
}
