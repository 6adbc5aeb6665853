using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using CodespaceRegistry.Audit;
using Xunit;

namespace CodespaceRegistry.Tests.Audit
{
    /// <summary>
    /// The SARIF and JSON the audit writes. No SARIF schema validator runs offline, so <see cref="AssertSarif210"/>
    /// checks, by hand, the parts of the SARIF 2.1.0 JSON schema (sarif-schema-2.1.0.json, OASIS SARIF TC) this file
    /// uses: each object's required properties, property types, the enums (version, level), integer minimums, and the
    /// uri / uri-reference forms; plus what GitHub code scanning requires beyond it (a rule id and a location per result).
    /// </summary>
    public sealed class AuditExportTests
    {
        private static readonly string[] Levels = { "none", "note", "warning", "error" };

        private static IReadOnlyList<RegistryAuditResult> Results() => new[]
        {
            new RegistryAuditResult("ACME", AuditSubjectKind.SecretSet, AuditStatus.Failed, "IncompleteSet", "The set ACME has no ACME_CONTAINER_REGISTRY_PASSWORD.", "Add it."),
            new RegistryAuditResult("GOOD", AuditSubjectKind.SecretSet, AuditStatus.Passed, "SecretSetValid", "All three secrets of 'GOOD' are present.", ""),
            new RegistryAuditResult("ghcr.io/octo-org/base:1.4", AuditSubjectKind.Image, AuditStatus.Warning, "NeedsGrant", "Grant it.", "Open the settings.")
            {
                Repository = "octo-org/app", File = ".devcontainer/Dockerfile", Line = 3, Column = 6, Configuration = ".devcontainer/devcontainer.json",
            },
            new RegistryAuditResult("ghcr.io/octo-org/feature x:1", AuditSubjectKind.Feature, AuditStatus.Undetermined, "PackageFactsUnavailable", "No token.", "")
            {
                Repository = "octo-org/app", File = ".devcontainer/my folder/devcontainer.json", Line = 5, Column = 6, Configuration = ".devcontainer/my folder/devcontainer.json",
            },
        };

        [Fact]
        public void TheSarifMeetsTheSarif210SchemaWhereItIsUsed()
        {
            using var sarif = JsonDocument.Parse(AuditExport.ToSarif(Results()));
            AssertSarif210(sarif.RootElement);
        }

        [Fact]
        public void TheSarifHasOneResultPerSubjectThatDidNotPassAtTheLineThatNamesIt()
        {
            using var sarif = JsonDocument.Parse(AuditExport.ToSarif(Results()));
            var results = sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
            Assert.Equal(new[] { "error", "warning", "note" }, results.Select(r => r.GetProperty("level").GetString()));
            Assert.Equal(new[] { "SecretSetValid", "ImagePullable", "FeaturePullable" }, results.Select(r => r.GetProperty("ruleId").GetString()));
            var image = results[1].GetProperty("locations")[0].GetProperty("physicalLocation");
            Assert.Equal(".devcontainer/Dockerfile", image.GetProperty("artifactLocation").GetProperty("uri").GetString());
            Assert.Equal(3, image.GetProperty("region").GetProperty("startLine").GetInt32());
            Assert.Equal(6, image.GetProperty("region").GetProperty("startColumn").GetInt32());
            // A path with a space is a URI reference only once escaped; a secret set is shown at the configuration, line 1.
            Assert.Equal(".devcontainer/my%20folder/devcontainer.json", results[2].GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
            var set = results[0].GetProperty("locations")[0].GetProperty("physicalLocation");
            Assert.Equal(".devcontainer/devcontainer.json", set.GetProperty("artifactLocation").GetProperty("uri").GetString());
            Assert.Equal(1, set.GetProperty("region").GetProperty("startLine").GetInt32());
        }

        [Fact]
        public void FingerprintsAreStableAcrossRunsAndLineMovesAndDifferPerSubject()
        {
            static List<string> Fingerprints(IReadOnlyList<RegistryAuditResult> results)
            {
                using var sarif = JsonDocument.Parse(AuditExport.ToSarif(results));
                return sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
                    .Select(r => r.GetProperty("partialFingerprints").GetProperty(AuditExport.FingerprintKey).GetString()!).ToList();
            }
            var first = Fingerprints(Results());
            var moved = Results();
            moved[2].Line = 9;
            Assert.Equal(first, Fingerprints(Results()));
            Assert.Equal(first, Fingerprints(moved));
            Assert.Equal(first.Count, first.Distinct().Count());
        }

        [Fact]
        public void JsonNamesEnumValuesAndCarriesNoSecret()
        {
            var text = AuditExport.ToJson(Results());
            using var json = JsonDocument.Parse(text);
            var first = json.RootElement[0];
            Assert.Equal("SecretSet", first.GetProperty("Kind").GetString());
            Assert.Equal("Failed", first.GetProperty("Status").GetString());
            Assert.Equal(JsonValueKind.Null, first.GetProperty("Line").ValueKind);
            Assert.Equal("Undetermined", json.RootElement[3].GetProperty("Status").GetString());
            Assert.Equal(new[] { "Subject", "Kind", "Status", "Rule", "Id", "Message", "Fix", "Repository", "File", "Line", "Column", "Configuration", "SettingsUrl" },
                first.EnumerateObject().Select(p => p.Name));
        }

        [Fact]
        public void ASetsPasswordReachesNeitherResultNorExport()
        {
            const string canary = "Canary-audit-export-3c9e ";
            var sets = CodespaceRegistry.Secrets.SecretSetReader.FromEnvironment(new Dictionary<string, string?>
            {
                ["ACME_CONTAINER_REGISTRY_SERVER"] = "ghcr.io",
                ["ACME_CONTAINER_REGISTRY_USER"] = "octocat",
                ["ACME_CONTAINER_REGISTRY_PASSWORD"] = canary,
            }, DateTimeOffset.UtcNow);
            var results = sets.Select(RegistryAuditor.AuditSecretSet).ToList();
            Assert.Equal(AuditStatus.Failed, results[0].Status); // the trailing space
            var all = AuditExport.ToJson(results) + AuditExport.ToSarif(results) + string.Join("", results.Select(r => r.ToString() + r.Message + r.Fix));
            Assert.DoesNotContain("Canary", all);
            Assert.DoesNotMatch(@"(?<!\w)" + canary.Length + @"(?!\w)", all); // nor its length
        }

        [Theory]
        [InlineData("[remote \"origin\"]\n\turl = https://github.com/octo-org/app.git\n", "octo-org/app")]
        [InlineData("[remote \"origin\"]\n\turl = git@github.com:octo-org/app.git\n", "octo-org/app")]
        [InlineData("[remote \"origin\"]\n\turl = ssh://git@github.example.com/octo-org/app\n", "octo-org/app")]
        [InlineData("[remote \"upstream\"]\n\turl = https://github.com/a/b\n[remote \"origin\"]\n\turl = https://github.com/c/d.js.git\n", "c/d.js")]
        [InlineData("[remote \"upstream\"]\n\turl = https://github.com/a/b\n", "a/b")]
        [InlineData("[core]\n\turl = https://github.com/a/b\n", null)]
        [InlineData("", null)]
        public void TheRepositoryComesFromTheRemoteOrigin(string config, string? expected) =>
            Assert.Equal(expected, GitRepositoryFolder.RepositoryFromConfig(config));

        /// <summary>The SARIF 2.1.0 schema's constraints on the objects and properties the audit writes.</summary>
        private static void AssertSarif210(JsonElement log)
        {
            Required(log, "version", "runs");
            Assert.Equal("2.1.0", log.GetProperty("version").GetString());
            AbsoluteUri(log.GetProperty("$schema"));
            var runs = Array(log, "runs");
            Assert.Single(runs);
            foreach (var run in runs)
            {
                Required(run, "tool");
                var driver = Object(Object(run, "tool"), "driver");
                Required(driver, "name");
                String(driver, "name");
                String(driver, "semanticVersion");
                AbsoluteUri(driver.GetProperty("informationUri"));
                var rules = Array(driver, "rules");
                Assert.NotEmpty(rules);
                Assert.Equal(rules.Count, rules.Select(r => r.GetProperty("id").GetString()).Distinct().Count());
                foreach (var rule in rules)
                {
                    Required(rule, "id");
                    String(rule, "id");
                    String(rule, "name");
                    MultiformatMessage(Object(rule, "shortDescription"));
                    MultiformatMessage(Object(rule, "fullDescription"));
                    MultiformatMessage(Object(rule, "help"));
                    AbsoluteUri(rule.GetProperty("helpUri"));
                    Assert.Contains(Object(rule, "defaultConfiguration").GetProperty("level").GetString(), Levels);
                }
                foreach (var baseId in Object(run, "originalUriBaseIds").EnumerateObject())
                {
                    Assert.Equal(JsonValueKind.Object, baseId.Value.ValueKind);
                    if (baseId.Value.TryGetProperty("description", out var description)) Message(description);
                }
                foreach (var result in Array(run, "results"))
                {
                    Required(result, "message");
                    Message(Object(result, "message"));
                    var ruleId = String(result, "ruleId");
                    var ruleIndex = result.GetProperty("ruleIndex").GetInt32();
                    Assert.InRange(ruleIndex, -1, rules.Count - 1);
                    Assert.Equal(ruleId, rules[ruleIndex].GetProperty("id").GetString());
                    Assert.Contains(String(result, "level"), Levels);
                    var locations = Array(result, "locations");
                    Assert.NotEmpty(locations);
                    foreach (var location in locations)
                    {
                        var physical = Object(location, "physicalLocation");
                        var artifact = Object(physical, "artifactLocation");
                        UriReference(artifact.GetProperty("uri"));
                        Assert.True(Object(run, "originalUriBaseIds").TryGetProperty(String(artifact, "uriBaseId"), out _), "uriBaseId is defined in originalUriBaseIds");
                        var region = Object(physical, "region");
                        Assert.InRange(region.GetProperty("startLine").GetInt32(), 1, int.MaxValue);
                        Assert.InRange(region.GetProperty("startColumn").GetInt32(), 1, int.MaxValue);
                    }
                    foreach (var fingerprint in Object(result, "partialFingerprints").EnumerateObject()) Assert.Equal(JsonValueKind.String, fingerprint.Value.ValueKind);
                    Assert.Equal(JsonValueKind.Object, result.GetProperty("properties").ValueKind);
                }
            }
        }

        private static void Required(JsonElement element, params string[] names)
        {
            Assert.Equal(JsonValueKind.Object, element.ValueKind);
            foreach (var name in names) Assert.True(element.TryGetProperty(name, out _), $"required property '{name}'");
        }

        private static JsonElement Object(JsonElement element, string name)
        {
            var value = element.GetProperty(name);
            Assert.Equal(JsonValueKind.Object, value.ValueKind);
            return value;
        }

        private static List<JsonElement> Array(JsonElement element, string name)
        {
            var value = element.GetProperty(name);
            Assert.Equal(JsonValueKind.Array, value.ValueKind);
            return value.EnumerateArray().ToList();
        }

        private static string String(JsonElement element, string name)
        {
            var value = element.GetProperty(name);
            Assert.Equal(JsonValueKind.String, value.ValueKind);
            return value.GetString()!;
        }

        /// <summary>message: text or id (anyOf), text a string.</summary>
        private static void Message(JsonElement message)
        {
            Assert.True(message.TryGetProperty("text", out var text) || message.TryGetProperty("id", out _), "a message has text or id");
            Assert.Equal(JsonValueKind.String, text.ValueKind);
            Assert.NotEmpty(text.GetString()!);
        }

        /// <summary>multiformatMessageString: text required, markdown a string.</summary>
        private static void MultiformatMessage(JsonElement message)
        {
            Required(message, "text");
            Assert.Equal(JsonValueKind.String, message.GetProperty("text").ValueKind);
            if (message.TryGetProperty("markdown", out var markdown)) Assert.Equal(JsonValueKind.String, markdown.ValueKind);
        }

        private static void AbsoluteUri(JsonElement value) =>
            Assert.True(Uri.TryCreate(value.GetString(), UriKind.Absolute, out _), $"'{value}' is a uri");

        /// <summary>format uri-reference (RFC 3986): relative here, so no scheme, no backslash, nothing unescaped.</summary>
        private static void UriReference(JsonElement value)
        {
            var text = value.GetString()!;
            Assert.True(Uri.IsWellFormedUriString(text, UriKind.Relative), $"'{text}' is a relative uri-reference");
            Assert.DoesNotContain('\\', text);
            Assert.False(text.StartsWith("/", StringComparison.Ordinal), "relative to the repository root");
        }
    }
}
