using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using CodespaceRegistry.Devcontainer;
using CodespaceRegistry.Distribution;
using CodespaceRegistry.DockerConfig;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Secrets;
using CodespaceRegistry.Tests.Fixtures;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using Xunit.Sdk;

namespace CodespaceRegistry.Tests
{
    /// <summary>
    /// Every parser of untrusted text, fed generated input made of the tokens its grammar cares about (and of runs of
    /// them thousands long, where non-linear code shows): each input finishes within <see cref="Limit"/> and throws
    /// nothing but <see cref="RegistryException"/>. The whole class runs in seconds.
    /// </summary>
    public class ParserFuzzTests : IDisposable
    {
        private static readonly TimeSpan Limit = TimeSpan.FromSeconds(2);
        private const int Inputs = 500;

        private readonly TempDirectory _temp = new TempDirectory();

        public void Dispose() => _temp.Dispose();

        // Tokens every grammar shares: separators, quotes, escapes, odd characters, a lone surrogate, invalid escapes.
        private static readonly string[] Common =
        {
            "a", "Z", "0", "9", "_", "-", ".", ":", "/", "@", " ", "\t", "\n", "\r\n", "\"", "'", "\\", "\\u", "\\ud800", "\ud800",
            "\u00f6", "\u0000", "{", "}", "[", "]", "$", "${", "#", "=", ",", "*", "&", "<<", "?", "%", "+", "~", "`", "\u2028",
        };

        /// <summary>Strings of tokens; a third of them one short run repeated up to 5,000 times.</summary>
        private static Arbitrary<string> Text(params string[] grammar)
        {
            var token = Gen.Elements(grammar.Concat(Common).ToArray());
            var plain = token.ArrayOf().Select(t => string.Concat(t));
            var repeated =
                from unit in token.ArrayOf().Where(a => a.Length > 0 && a.Length < 6)
                from count in Gen.Choose(100, 5000)
                from prefix in plain
                select prefix + string.Concat(Enumerable.Repeat(string.Concat(unit), count));
            return Gen.Frequency((2, plain), (1, repeated)).ToArbitrary();
        }

        private static void Run(string parser, Arbitrary<string> inputs, Action<string> parse)
        {
            var property = Prop.ForAll(inputs, input => Bounded(parser, input, () => parse(input)));
            Check.One(Config.QuickThrowOnFailure.WithMaxTest(Inputs).WithQuietOnSuccess(true), property);
        }

        private static void Bounded(string parser, string input, Action parse)
        {
            var run = Task.Run(() =>
            {
                try
                {
                    parse();
                    return null;
                }
                catch (RegistryException)
                {
                    return (Exception?)null;
                }
                catch (Exception e)
                {
                    return e;
                }
            });
            if (!run.Wait(Limit)) throw new XunitException($"{parser} took more than {Limit.TotalSeconds} s on {Show(input)}");
            if (run.Result is Exception e) throw new XunitException($"{parser} threw {e.GetType().Name} on {Show(input)}: {e}");
        }

        private static string Show(string input) =>
            $"{input.Length} characters: \"{(input.Length > 200 ? input.Substring(0, 200) + "…" : input).Replace("\n", "\\n")}\"";

        [Fact]
        public void ImageReferences() =>
            Run("ImageReference", Text("ghcr.io", "docker.io", "library", "sha256:", "0123456789abcdef", "https://", "docker://", "localhost:5000", "[::1]"),
                s =>
                {
                    ImageReference.TryParse(s, out _);
                    ImageReference.Parse(s);
                });

        [Fact]
        public void Servers() =>
            Run("RegistryServer", Text("https://", "http://", "ghcr.io", "index.docker.io/v1/", "123456789012.dkr.ecr.us-east-1.amazonaws.com", "[::1]", ":5000", "localhost"),
                s =>
                {
                    RegistryServer.TryParse(s, out _, out _);
                    RegistryServer.Parse(s);
                });

        [Fact]
        public void AuthenticationChallenges() =>
            Run("AuthenticationChallenge", Text("Bearer ", "Basic ", "realm=", "service=", "scope=", "error=", "\"https://auth\"", ", ", "=\""),
                s => AuthenticationChallenge.Parse(s));

        [Fact]
        public void DockerConfigs() =>
            Run("DockerConfigFile", Text("{\"auths\":{", "\"ghcr.io\":", "{\"auth\":\"", "b2N0bzpwdw==", "\"credsStore\":", "\"credHelpers\":", "\"}", "}}", "1e300", "null", "true"),
                s => DockerConfigFile.Parse(new DockerConfigLocation(_temp.Combine("config.json"), CredentialFileFormat.Docker), Encoding.UTF8.GetBytes(s)));

        [Fact]
        public void Jsonc() =>
            Run("JsoncFile", Text("{\"image\":", "\"alpine\"", "//", "/*", "*/", ",]", ",}", "[", "\"features\":{", "1e300"),
                s => JsoncFile.Parse(Encoding.UTF8.GetBytes(s), "devcontainer.json"));

        [Fact]
        public void Dockerfiles() =>
            Run("DockerfileParser", Text("FROM ", "ARG ", "A=", "${A}", "${A:-", "${A:+", "$A", " AS ", "COPY --from=", "RUN --mount=from=", "<<EOF", "EOF", "# escape=`", "\\\n", "scratch"),
                s => DockerfileParser.Parse(s, new Dictionary<string, string> { ["A"] = "alpine" }, null));

        [Fact]
        public void ComposeFiles()
        {
            var file = _temp.Combine("compose.yml");
            Run("ComposeProject", Text("services:\n", "  app:\n", "    image: ", "build:", "&a", "*a", "<<: ", "- ", "depends_on:", "    ", "!!", "---\n", "? ", "|", ">"),
                s =>
                {
                    File.WriteAllBytes(file, Encoding.UTF8.GetBytes(s)); // a lone surrogate becomes U+FFFD
                    ComposeProject.Load(new[] { (file, "compose.yml") });
                });
        }

        [Fact]
        public void VariableExpansion()
        {
            string? Lookup(string name) => name == "A" ? "alpine" : name == "L" ? new string('x', 1000) : null;
            Run("VariableExpander", Text("${A}", "${L}", "$A", "${A:-", "${B-", "${A:+", "${B:?", "$$", "`$", "\\$"),
                s =>
                {
                    VariableExpander.ForCompose(Lookup).Expand(s, new List<string>());
                    VariableExpander.ForDockerfile(Lookup, '\\').Expand(s, new List<string>());
                });
        }

        [Fact]
        public void SecretSetsFromTheEnvironment() =>
            Run("SecretSetReader", Text("ghcr.io", "https://", "AWS", "AKIAIOSFODNN7EXAMPLE", "eyJ", "ghp_"),
                s => SecretSetReader.FromEnvironment(new Dictionary<string, string?>
                {
                    ["ACME_CONTAINER_REGISTRY_SERVER"] = s,
                    ["ACME_CONTAINER_REGISTRY_USER"] = s.Length > 3 ? s.Substring(3) : s,
                    ["ACME_CONTAINER_REGISTRY_PASSWORD"] = s,
                }, DateTimeOffset.UtcNow));
    }
}
