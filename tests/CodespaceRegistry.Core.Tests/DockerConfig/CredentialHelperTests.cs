using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.DockerConfig;
using CodespaceRegistry.Registries;
using Xunit;
using static CodespaceRegistry.Tests.DockerConfig.CredentialStoreTests;

using CodespaceRegistry.Tests.Fixtures;

namespace CodespaceRegistry.Tests.DockerConfig
{
    /// <summary>
    /// credsStore and credHelpers through a real helper, docker-credential-pass (Debian's golang-docker-credential-helpers)
    /// over pass and a throwaway gpg key; the failure paths through small script helpers.
    /// </summary>
    [Collection(AloneCollection.Name)]
    public class CredentialHelperTests : IClassFixture<PassStoreFixture>, IDisposable
    {
        private readonly PassStoreFixture _pass;
        private readonly TempDirectory _temp = new TempDirectory();

        public CredentialHelperTests(PassStoreFixture pass) { _pass = pass; }

        public void Dispose() => _temp.Dispose();

        private string ConfigPath => _temp.Combine("config.json");

        private CredentialStore Store(CredentialHelperClient? helpers = null) =>
            new CredentialStore(new DockerConfigLocation(ConfigPath, CredentialFileFormat.Docker), helpers ?? _pass.Client());

        // Each test uses its own server name, as the pass store is shared by the class.
        private static RegistryServer UniqueServer() => RegistryServer.Parse($"r{Guid.NewGuid().ToString("N").Substring(0, 8)}.example.com");

        [Fact]
        public async Task CredsStoreKeepsTheSecretInTheHelperAndOutOfTheFile()
        {
            File.WriteAllText(ConfigPath, @"{""credsStore"": ""pass"", ""auths"": {""other.example.com"": {}}, ""psFormat"": ""x""}");
            var server = UniqueServer();
            var store = Store();

            var location = await store.StoreAsync(server, Credential(), CancellationToken.None);

            Assert.Equal(CredentialSource.CredentialsStore, location.Source);
            Assert.Equal("pass", location.HelperName);
            Assert.Empty(location.Warnings);
            var text = File.ReadAllText(ConfigPath);
            Assert.DoesNotContain(Canary, text);
            var config = JsonNode.Parse(text)!;
            Assert.Empty((JsonObject)config["auths"]![server.ConfigKey]!); // docker's marker
            Assert.Equal("x", config["psFormat"]!.GetValue<string>());

            var credential = await store.GetAsync(server, CancellationToken.None);
            Assert.Equal("octocat", credential!.UserName);
            Assert.Equal(Canary, SecureStrings.Reveal(credential.Password));

            var listed = await _pass.Client().ListAsync("pass", CancellationToken.None);
            Assert.Equal("octocat", listed[server.ConfigKey]);

            Assert.True(await store.EraseAsync(server, CancellationToken.None));
            Assert.Null(await store.GetAsync(server, CancellationToken.None));
            Assert.Null(JsonNode.Parse(File.ReadAllText(ConfigPath))!["auths"]![server.ConfigKey]);
            Assert.False(await store.EraseAsync(server, CancellationToken.None));
        }

        [Fact]
        public async Task AStaleAuthsEntryBehindACredHelperIsReportedAndClearedByTheNextStore()
        {
            var server = UniqueServer();
            File.WriteAllText(ConfigPath,
                $@"{{""credHelpers"": {{""{server.ConfigKey}"": ""pass""}}, ""auths"": {{""{server.ConfigKey}"": {{""auth"": ""b2xkOm9sZHBhc3N3b3Jk""}}}}}}");
            var store = Store();

            Assert.Null(await store.GetAsync(server, CancellationToken.None)); // docker ignores the entry: the helper has nothing yet
            var description = await store.DescribeAsync(server, CancellationToken.None);
            Assert.Equal(CredentialSource.CredentialHelper, description.Source);
            Assert.Equal("pass", description.HelperName);
            Assert.Equal("/usr/bin/docker-credential-pass", description.HelperPath);
            Assert.True(description.AuthsEntryShadowed);
            var stale = Assert.Single(description.Warnings, w => w.Id == DockerConfigWarning.StaleAuthsEntry);
            Assert.Contains(server.ConfigKey, stale.Message);

            var location = await store.StoreAsync(server, Credential(), CancellationToken.None);
            Assert.Equal(CredentialSource.CredentialHelper, location.Source);
            var after = await store.DescribeAsync(server, CancellationToken.None);
            Assert.False(after.AuthsEntryShadowed);
            Assert.Empty(after.Warnings);
            Assert.Equal(Canary, SecureStrings.Reveal((await store.GetAsync(server, CancellationToken.None))!.Password));
        }

        [Fact]
        public async Task ACredHelperWinsOverCredsStore()
        {
            var server = UniqueServer();
            File.WriteAllText(ConfigPath, $@"{{""credsStore"": ""missing-store"", ""credHelpers"": {{""{server.ConfigKey}"": ""pass""}}}}");
            var location = await Store().StoreAsync(server, Credential(), CancellationToken.None);
            Assert.Equal(CredentialSource.CredentialHelper, location.Source);
            Assert.Equal("pass", location.HelperName);

            var other = await Assert.ThrowsAsync<RegistryException>(() => Store().StoreAsync(UniqueServer(), Credential(), CancellationToken.None));
            Assert.Equal("CredentialHelperNotFound", other.ErrorId);
            Assert.Contains("docker-credential-missing-store", other.Message);
        }

        [Fact]
        public async Task SkopeoReadsTheCredentialThroughTheHelper()
        {
            var server = UniqueServer();
            File.WriteAllText(ConfigPath, $@"{{""credHelpers"": {{""{server.ConfigKey}"": ""pass""}}}}");
            await Store().StoreAsync(server, Credential("helper-user"), CancellationToken.None);

            var skopeo = ExternalProgram.Run("skopeo", new[] { "login", "--get-login", "--authfile", ConfigPath, server.Host }, _pass.Environment);
            Assert.True(skopeo.ExitCode == 0, skopeo.Error);
            Assert.Equal("helper-user", skopeo.Output.Trim());
        }

        [Fact]
        public async Task AuthJsonCredHelpersAreHonouredWithTheContainersKey()
        {
            var authFile = _temp.Combine("auth.json");
            File.WriteAllText(authFile, @"{""credHelpers"": {""docker.io"": ""pass""}}");
            var store = new CredentialStore(new DockerConfigLocation(authFile, CredentialFileFormat.Containers), _pass.Client());

            var location = await store.StoreAsync(RegistryServer.Parse("https://index.docker.io/v1/"), Credential("hub-helper-user"), CancellationToken.None);

            Assert.Equal(CredentialSource.CredentialHelper, location.Source);
            Assert.Equal("docker.io", location.ConfigKey);
            Assert.DoesNotContain(Canary, File.ReadAllText(authFile));
            Assert.Equal("hub-helper-user", (await _pass.Client().GetAsync("pass", "docker.io", CancellationToken.None))!.UserName);
            var skopeo = ExternalProgram.Run("skopeo", new[] { "login", "--get-login", "--authfile", authFile, "docker.io" }, _pass.Environment);
            Assert.True(skopeo.ExitCode == 0, skopeo.Error);
            Assert.Equal("hub-helper-user", skopeo.Output.Trim());
            Assert.True(await store.EraseAsync(RegistryServer.Parse("docker.io"), CancellationToken.None));
        }

        [Fact]
        public async Task NoResultOrWarningCarriesTheSecret()
        {
            var server = UniqueServer();
            File.WriteAllText(ConfigPath, $@"{{""credHelpers"": {{""{server.ConfigKey}"": ""pass""}}, ""auths"": {{""{server.ConfigKey}"": {{""auth"": ""b2xkOm9sZA==""}}}}}}");
            var store = Store();
            var results = new object[]
            {
                await store.DescribeAsync(server, CancellationToken.None),
                await store.StoreAsync(server, Credential(), CancellationToken.None),
                (await store.GetAsync(server, CancellationToken.None))!,
                await store.DescribeAsync(server, CancellationToken.None),
                await new CredentialStore(new DockerConfigLocation(_temp.Combine("plain.json"), CredentialFileFormat.Docker), _pass.Client())
                    .StoreAsync(server, Credential(), CancellationToken.None),
            };
            foreach (var result in results)
            {
                var text = System.Text.Json.JsonSerializer.Serialize(result, result.GetType()) + result;
                Assert.DoesNotContain(Canary, text);
            }
            Assert.DoesNotContain(Canary, File.ReadAllText(ConfigPath));
        }

        // A helper written as a script, for the answers a real helper gives only when something is broken.
        [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
        private CredentialHelperClient ScriptHelper(string body, TimeSpan? timeout = null)
        {
            var path = _temp.Combine("docker-credential-script");
            File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            return new CredentialHelperClient(name => name == "docker-credential-script" ? path : null, timeout: timeout);
        }

        private void UseScriptHelper() => File.WriteAllText(ConfigPath, @"{""credsStore"": ""script""}");

        [Fact]
        public async Task TheProtocolIsFollowedOnStdinAndStdout()
        {
            if (OperatingSystem.IsWindows()) return;
            var log = _temp.Combine("stdin.log");
            var helpers = ScriptHelper($@"echo ""$1 $(cat)"" >> '{log}'
case ""$1"" in get) echo '{{""ServerURL"":""ghcr.io"",""Username"":""octocat"",""Secret"":""{Canary}""}}';; esac");
            UseScriptHelper();
            var store = Store(helpers);
            await store.StoreAsync(RegistryServer.Parse("ghcr.io"), Credential(), CancellationToken.None);
            var credential = await store.GetAsync(RegistryServer.Parse("ghcr.io"), CancellationToken.None);
            await store.EraseAsync(RegistryServer.Parse("docker.io"), CancellationToken.None);

            var lines = File.ReadAllLines(log);
            Assert.Equal("store", lines[0].Split(' ')[0]);
            var stored = JsonNode.Parse(lines[0].Substring("store ".Length))!;
            Assert.Equal("ghcr.io", stored["ServerURL"]!.GetValue<string>());
            Assert.Equal("octocat", stored["Username"]!.GetValue<string>());
            Assert.Equal(Canary, stored["Secret"]!.GetValue<string>());
            Assert.Equal("get ghcr.io", lines[1]);
            Assert.Equal("erase https://index.docker.io/v1/", lines[2]);
            Assert.Equal(Canary, SecureStrings.Reveal(credential!.Password));
        }

        [Fact]
        public async Task NotFoundIsNoCredentialNotAnError()
        {
            if (OperatingSystem.IsWindows()) return;
            UseScriptHelper();
            var helpers = ScriptHelper($"echo '{CredentialHelperClient.NotFoundMessage}'; exit 1");
            Assert.Null(await Store(helpers).GetAsync(RegistryServer.Parse("ghcr.io"), CancellationToken.None));
            Assert.False(await Store(helpers).EraseAsync(RegistryServer.Parse("ghcr.io"), CancellationToken.None));
        }

        [Fact]
        public async Task AFailingHelperIsAnErrorWithItsMessageAndWithoutTheSecret()
        {
            if (OperatingSystem.IsWindows()) return;
            UseScriptHelper();
            var helpers = ScriptHelper(@"input=$(cat); printf 'keychain locked; got %s\n' ""$input""; printf 'stderr also saw %s\n' ""$input"" >&2; exit 3");
            var before = File.ReadAllBytes(ConfigPath);

            const string quoted = Canary + "\"<&>\\";
            var e = await Assert.ThrowsAsync<RegistryException>(() => Store(helpers).StoreAsync(RegistryServer.Parse("ghcr.io"), Credential(secret: quoted), CancellationToken.None));

            Assert.Equal("CredentialHelperFailed", e.ErrorId);
            Assert.Contains("keychain locked", e.Message);
            Assert.Contains("exit code 3", e.Message);
            Assert.Contains("[redacted]", e.Message);
            Assert.DoesNotContain(Canary, e.ToString());
            Assert.Equal(before, File.ReadAllBytes(ConfigPath));
        }

        [Fact]
        public async Task AHelperThatReEscapesTheSecretDoesNotGetItPastTheRedaction()
        {
            if (OperatingSystem.IsWindows()) return;
            UseScriptHelper();
            // python's json.dumps writes ö as \u00f6 (lower case), System.Text.Json as \u00F6.
            var helpers = ScriptHelper(@"python3 -c 'import json,sys; s=json.load(sys.stdin)[""Secret""]; print(""rejected"", json.dumps(s))'; exit 3");
            const string secret = "W\u00f6rd-" + Canary + "/\"\t";
            var e = await Assert.ThrowsAsync<RegistryException>(() => Store(helpers).StoreAsync(RegistryServer.Parse("ghcr.io"), Credential(secret: secret), CancellationToken.None));
            Assert.Contains("rejected", e.Message);
            Assert.DoesNotContain(Canary, e.ToString());
            Assert.DoesNotContain("u00f6", e.ToString(), StringComparison.OrdinalIgnoreCase);
        }

        [Fact]
        public async Task AHelperThatTalksWithoutEndIsReadWithinBoundedMemory()
        {
            if (OperatingSystem.IsWindows()) return;
            UseScriptHelper();
            var helpers = ScriptHelper("cat >/dev/null; head -c 300000000 /dev/zero | tr '\\0' a; exit 3");
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var e = await Assert.ThrowsAsync<RegistryException>(() => Store(helpers).StoreAsync(RegistryServer.Parse("ghcr.io"), Credential(), CancellationToken.None));
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            Assert.Equal("CredentialHelperFailed", e.ErrorId);
            Assert.True(e.Message.Length < 2000, e.Message.Length.ToString());
            Assert.True(allocated < 200_000_000, $"{allocated / 1_000_000} MB allocated for 300 MB of output");
        }

        [Fact]
        public async Task AnAnswerThatIsNotTheProtocolsJsonIsAnErrorWithoutTheAnswer()
        {
            if (OperatingSystem.IsWindows()) return;
            UseScriptHelper();
            var helpers = ScriptHelper($"echo 'Secret={Canary}'");
            var e = await Assert.ThrowsAsync<RegistryException>(() => Store(helpers).GetAsync(RegistryServer.Parse("ghcr.io"), CancellationToken.None));
            Assert.Equal("CredentialHelperFailed", e.ErrorId);
            Assert.DoesNotContain(Canary, e.ToString());
        }

        [Fact]
        public async Task AHangingHelperIsStoppedAtTheTimeout()
        {
            if (OperatingSystem.IsWindows()) return;
            UseScriptHelper();
            var helpers = ScriptHelper("exec sleep 120", TimeSpan.FromMilliseconds(300));
            var e = await Assert.ThrowsAsync<RegistryException>(() => Store(helpers).GetAsync(RegistryServer.Parse("ghcr.io"), CancellationToken.None));
            Assert.Equal("CredentialHelperTimedOut", e.ErrorId);
            Assert.Equal(ErrorKind.Timeout, e.Kind);
        }

        [Fact]
        public async Task CancellingKillsTheHelper()
        {
            if (OperatingSystem.IsWindows()) return;
            UseScriptHelper();
            var pidFifo = _temp.Combine("pid");
            Assert.Equal(0, ExternalProgram.Run("mkfifo", new[] { pidFifo }).ExitCode);
            var helpers = ScriptHelper($"echo $$ > '{pidFifo}'; exec sleep 120");
            using var cancel = new CancellationTokenSource();
            var get = Store(helpers).GetAsync(RegistryServer.Parse("ghcr.io"), cancel.Token);
            // Reading the FIFO returns once the helper has written its pid: it is running.
            var pidText = await Task.Run(() => File.ReadAllText(pidFifo)).WaitAsync(TimeSpan.FromSeconds(30));
            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => get);
            var pid = int.Parse(pidText.Trim());
            Assert.Throws<ArgumentException>(() => System.Diagnostics.Process.GetProcessById(pid));
        }
    }
}
