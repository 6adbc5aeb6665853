using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace CodespaceRegistry.EngineTests
{
    /// <summary>
    /// Issue #13: what a script gets from ConvertTo-Json and Export-Clixml of each output type is compact and readable
    /// without the module: each registry server once (a RegistryReference's parsed image is a hidden member, as its
    /// registry is the reference's Server), within a size bound. Nothing leaves 127.0.0.1: the server is a closed port.
    /// </summary>
    public sealed class CompactJsonTests : IClassFixture<ModuleSession>
    {
        private readonly ModuleSession _session;
        private readonly string _server;
        private readonly string _repository;

        public CompactJsonTests(ModuleSession session)
        {
            _session = session;
            _server = "127.0.0.1:" + (int)session.Run("Get-ClosedPort").Single()!;
            _repository = Path.Combine(session.TempDirectory, "compact-" + _server.Replace(':', '-'));
            Directory.CreateDirectory(Path.Combine(_repository, ".devcontainer"));
            File.WriteAllText(Path.Combine(_repository, ".devcontainer", "devcontainer.json"), $"{{ \"image\": \"{_server}/team/app:1\" }}");
        }

        /// <summary>Each output type, made by its cmdlet, and the most characters its JSON (-Depth 4) may have.</summary>
        public static TheoryData<string, string, int> Outputs => new()
        {
            { "RegistryReference", "Find-RegistryReference -Path $repository", 1_000 },
            { "RegistryAccessReport", "Test-RegistryAccess -Image \"$server/team/app:1\"", 3_500 },
            { "RegistryLoginResult", "Invoke-RegistryLogin -Server $server -Credential ([pscredential]::new('octocat', (ConvertTo-SecureString 'Canary-json-1f' -AsPlainText -Force))) -SkipVerification -PassThru -WarningAction SilentlyContinue", 1_200 },
        };

        [Theory, MemberData(nameof(Outputs))]
        public void ConvertToJsonWritesEachServerOnceWithinABound(string type, string command, int bound)
        {
            var json = (string)_session.Run($"{command} | ConvertTo-Json -Depth 4 -EnumsAsStrings", null, Variables()).Single()!;

            Assert.True(json.Length <= bound, $"{type}: {json.Length} characters, more than {bound}:\n{json}");
            using var document = JsonDocument.Parse(json);
            var servers = Objects(document.RootElement).Where(o => o.TryGetProperty("HostName", out _)).ToList();
            var server = Assert.Single(servers);
            Assert.Equal(_server, server.GetProperty("Host").GetString());
            Assert.Equal("Other", server.GetProperty("Kind").GetString());
            Assert.Equal(_server, document.RootElement.GetProperty("Server").GetProperty("Host").GetString()); // where a script looks for it
        }

        [Theory, MemberData(nameof(Outputs))]
        public void ExportClixmlWritesEachServerOnce(string type, string command, int bound)
        {
            var file = Path.Combine(_session.TempDirectory, type + ".xml");
            _session.Run($"{command} | Export-Clixml -LiteralPath $file", null, new(Variables()) { ["file"] = file }).ThrowIfFailed();

            var xml = File.ReadAllText(file);
            Assert.Equal(1, xml.Split("N=\"HostName\"").Length - 1);
            Assert.True(xml.Length <= bound * 4, $"{type}: {xml.Length} characters of CLIXML");
        }

        [Fact]
        public void TheParsedImageOfAReferenceIsStillAtHand()
        {
            var run = _session.Run("$r = Find-RegistryReference -Path $repository; $r.ImageReference.Tag; $r.ImageReference.Registry.Host; $r.GetImageReference().Repository; @($r | Get-Member -Name ImageReference).Count; @($r | Get-Member -Name ImageReference -Force).Count",
                null, Variables());
            Assert.Equal(new[] { "1", _server, "team/app", "0", "1" }, run.Strings());
        }

        private Dictionary<string, object?> Variables() => new() { ["server"] = _server, ["repository"] = _repository };

        private static IEnumerable<JsonElement> Objects(JsonElement element)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                yield return element;
                foreach (var property in element.EnumerateObject())
                    foreach (var inner in Objects(property.Value)) yield return inner;
            }
            else if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                    foreach (var inner in Objects(item)) yield return inner;
            }
        }
    }
}
