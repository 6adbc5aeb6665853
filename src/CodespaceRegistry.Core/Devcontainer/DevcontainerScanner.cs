using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Devcontainer
{
    /// <summary>What a scan of one dev container configuration found.</summary>
    public sealed class DevcontainerScan
    {
        internal DevcontainerScan(string configuration, IReadOnlyList<RegistryReference> references, IReadOnlyList<DevcontainerFinding> findings)
        {
            Configuration = configuration;
            References = references;
            Findings = findings;
        }

        /// <summary>The devcontainer.json, relative to the scanned folder.</summary>
        public string Configuration { get; }

        public IReadOnlyList<RegistryReference> References { get; }

        public IReadOnlyList<DevcontainerFinding> Findings { get; }
    }

    /// <summary>
    /// Finds every image and Feature a codespace pulls to build its dev container: <c>image</c>, the
    /// <c>FROM</c> lines of <c>build.dockerfile</c>, the Compose services the container starts, and
    /// <c>features</c>. What cannot be known (a variable with no value) is a finding, never a guess.
    /// </summary>
    public static class DevcontainerScanner
    {
        public const string FileName = "devcontainer.json";

        /// <summary>
        /// The configurations in a folder, as the dev containers tools look for them: <c>.devcontainer/devcontainer.json</c>,
        /// <c>.devcontainer.json</c> and <c>.devcontainer/&lt;name&gt;/devcontainer.json</c>; or the one file <paramref name="path"/> names.
        /// </summary>
        /// <exception cref="RegistryException">ErrorId <c>DevcontainerNotFound</c> when there is none.</exception>
        public static IReadOnlyList<string> FindConfigurations(string path)
        {
            if (File.Exists(path)) return new[] { Path.GetFullPath(path) };
            var found = new List<string>();
            if (Directory.Exists(path))
            {
                var folder = Path.Combine(path, ".devcontainer");
                found.Add(Path.Combine(folder, FileName));
                found.Add(Path.Combine(path, "." + FileName));
                if (Directory.Exists(folder))
                {
                    found.AddRange(Directory.GetDirectories(folder).OrderBy(d => d, StringComparer.Ordinal).Select(d => Path.Combine(d, FileName)));
                }
            }
            var existing = found.Where(File.Exists).Select(Path.GetFullPath).ToList();
            if (existing.Count == 0)
            {
                throw new RegistryException("DevcontainerNotFound", ErrorKind.ObjectNotFound,
                    $"No dev container configuration is in '{path}'. Point -Path at a repository folder that has .devcontainer/devcontainer.json, .devcontainer.json or .devcontainer/<name>/devcontainer.json, or at a devcontainer.json file.");
            }
            return existing;
        }

        /// <summary>The folder that paths in results are shown relative to: the repository folder of a configuration.</summary>
        public static string RootOf(string path)
        {
            if (Directory.Exists(path)) return Path.GetFullPath(path);
            var directory = new DirectoryInfo(Path.GetDirectoryName(Path.GetFullPath(path))!);
            // .devcontainer/devcontainer.json or .devcontainer/<name>/devcontainer.json: the folder above .devcontainer.
            var d = directory;
            for (var level = 0; level < 2 && d != null; level++, d = d.Parent)
            {
                if (d.Name == ".devcontainer" && d.Parent != null) return d.Parent.FullName;
            }
            return directory.FullName;
        }

        /// <summary>Scans one devcontainer.json; paths in the results are relative to <paramref name="root"/>.</summary>
        /// <exception cref="RegistryException">ErrorId <c>DevcontainerJsonInvalid</c> or <c>ComposeFileInvalid</c> when a file cannot be read.</exception>
        public static DevcontainerScan Scan(string configurationFile, string root)
        {
            var scan = new Scanning(configurationFile, root);
            scan.Run();
            return new DevcontainerScan(scan.Relative(configurationFile), scan.References, scan.Findings);
        }

        private sealed class Scanning
        {
            private readonly string _file;
            private readonly string _root;
            private readonly string _directory;

            public Scanning(string file, string root)
            {
                _file = Path.GetFullPath(file);
                _root = Path.GetFullPath(root);
                _directory = Path.GetDirectoryName(_file)!;
            }

            public List<RegistryReference> References { get; } = new List<RegistryReference>();

            public List<DevcontainerFinding> Findings { get; } = new List<DevcontainerFinding>();

            public string Relative(string path)
            {
                var full = Path.GetFullPath(path);
                var prefix = _root.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? _root : _root + Path.DirectorySeparatorChar;
                var relative = full.StartsWith(prefix, StringComparison.Ordinal) ? full.Substring(prefix.Length) : full;
                return relative.Replace(Path.DirectorySeparatorChar, '/');
            }

            private SourceLocation At(string file, int line) => new SourceLocation(file, Relative(file), line);

            private void Find(string id, FindingSeverity severity, string message, SourceLocation at) =>
                Findings.Add(new DevcontainerFinding(id, severity, message, at));

            public void Run()
            {
                var json = JsoncFile.Load(_file, Relative(_file));
                var root = json.Root;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    Find("DevcontainerNotAnObject", FindingSeverity.Error, "devcontainer.json must hold one JSON object.", At(_file, 1));
                    return;
                }

                if (String(root, "image") is string image)
                {
                    var at = At(_file, json.LineOf("image"));
                    Add(ExpandDevcontainer(image, at), RegistryReferenceKind.Image, at);
                }

                ScanBuild(json, root);

                if (root.TryGetProperty("dockerComposeFile", out var compose)) ScanCompose(json, root, compose);

                if (root.TryGetProperty("features", out var features) && features.ValueKind == JsonValueKind.Object)
                {
                    foreach (var feature in features.EnumerateObject()) ScanFeature(feature.Name, At(_file, json.LineOf("features", feature.Name)));
                }
            }

            /// <summary><c>build.dockerfile</c> (or the older top-level <c>dockerFile</c>), relative to devcontainer.json, with <c>build.args</c> and <c>build.target</c>.</summary>
            private void ScanBuild(JsoncFile json, JsonElement root)
            {
                var build = root.TryGetProperty("build", out var b) && b.ValueKind == JsonValueKind.Object ? b : default;
                var (dockerfile, path) =
                    String(build, "dockerfile") is string inBuild ? (inBuild, new[] { "build", "dockerfile" }) :
                    String(root, "dockerFile") is string legacy ? (legacy, new[] { "dockerFile" }) :
                    (String(root, "dockerfile"), new[] { "dockerfile" });
                if (dockerfile == null) return;

                var args = new Dictionary<string, string>(StringComparer.Ordinal);
                if (build.ValueKind == JsonValueKind.Object && build.TryGetProperty("args", out var argsNode) && argsNode.ValueKind == JsonValueKind.Object)
                {
                    foreach (var arg in argsNode.EnumerateObject().Where(a => a.Value.ValueKind == JsonValueKind.String))
                    {
                        var value = ExpandDevcontainer(arg.Value.GetString()!, At(_file, json.LineOf("build", "args", arg.Name)));
                        if (value != null) args[arg.Name] = value;
                    }
                }
                ScanDockerfile(Path.Combine(_directory, dockerfile), args, String(build, "target"), At(_file, json.LineOf(path)), service: null);
            }

            private static string? String(JsonElement element, string name) =>
                element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                    ? value.GetString() : null;

            /// <summary>
            /// devcontainer.json's own variables: <c>${localEnv:NAME:default}</c> and <c>${env:NAME:default}</c> take their
            /// default; anything else depends on the machine that builds, so it is a finding.
            /// </summary>
            private string? ExpandDevcontainer(string text, SourceLocation at)
            {
                var unresolved = new List<string>();
                var result = new System.Text.StringBuilder(text.Length);
                var i = 0;
                var close = -1; // the first '}' at or after the variable being read: found once for many '${'
                while (i < text.Length)
                {
                    var start = text.IndexOf("${", i, StringComparison.Ordinal);
                    if (start < 0) break;
                    if (close < start + 2) close = text.IndexOf('}', start + 2);
                    if (close < 0) break;
                    // ${name}, ${name:arg} or ${name:arg:default}; the name is not empty.
                    if (text[start + 2] == ':' || text[start + 2] == '}')
                    {
                        result.Append(text, i, start + 2 - i);
                        i = start + 2;
                        continue;
                    }
                    var parts = text.Substring(start + 2, close - start - 2).Split(new[] { ':' }, 3);
                    result.Append(text, i, start - i);
                    if ((parts[0] == "localEnv" || parts[0] == "env") && parts.Length == 3) result.Append(parts[2]);
                    else unresolved.Add(text.Substring(start, close - start + 1));
                    i = close + 1;
                }
                result.Append(text, i, text.Length - i);
                return Resolved(text, result.ToString(), unresolved, at);
            }

            private string? Resolved(string written, string expanded, IReadOnlyCollection<string> unresolved, SourceLocation at)
            {
                if (unresolved.Count == 0) return expanded;
                var names = unresolved.Distinct().ToList();
                var listed = string.Join(", ", names.Take(10).Select(Redaction.Echo)) + (names.Count > 10 ? $" and {names.Count - 10} more" : "");
                Find("UnresolvedVariable", FindingSeverity.Warning,
                    $"'{Redaction.Echo(written)}' uses {listed} with no value here and no default, so the reference it makes cannot be known. Give the variable a default, or check this reference by hand.",
                    at);
                return null;
            }

            private void Add(string? reference, RegistryReferenceKind kind, SourceLocation at, string? service = null, string? stage = null)
            {
                if (reference == null) return;
                if (!ImageReference.TryParse(reference, out var image))
                {
                    Find("InvalidReference", FindingSeverity.Error,
                        $"'{Redaction.Echo(reference)}' is not an image reference; the build will fail to pull it. Write it as registry/repository:tag.", at);
                    return;
                }
                References.Add(new RegistryReference(image!, reference.Trim(), kind, at, Relative(_file)) { Service = service, Stage = stage, Root = _root });
            }

            private void ScanDockerfile(string path, IReadOnlyDictionary<string, string> args, string? target, SourceLocation namedAt, string? service)
            {
                string? text;
                try
                {
                    text = LocalFile.ReadText(path, "The Dockerfile " + Relative(path), "DockerfileUnreadable");
                }
                catch (RegistryException e)
                {
                    Find(e.ErrorId, FindingSeverity.Error, e.Message, namedAt);
                    return;
                }
                if (text == null)
                {
                    Find("DockerfileNotFound", FindingSeverity.Error, $"The Dockerfile {Relative(path)} does not exist, so the build will fail.", namedAt);
                    return;
                }
                var parsed = DockerfileParser.Parse(text, args, target);
                if (parsed.Limit != null)
                {
                    Find(parsed.Limit.ErrorId, FindingSeverity.Error,
                        $"{Relative(path)} line {parsed.LimitLine}: {parsed.Limit.Message} Its images are not listed; check them by hand.", At(path, parsed.LimitLine));
                    return;
                }
                if (parsed.MissingTarget != null)
                {
                    Find("DockerfileTargetNotFound", FindingSeverity.Error,
                        $"No stage of {Relative(path)} is named '{Redaction.Echo(parsed.MissingTarget)}'; the images of every stage are listed.", namedAt);
                }
                foreach (var image in parsed.Images)
                {
                    var at = At(path, image.Line);
                    Add(Resolved(image.Written, image.Reference, image.Unresolved, at), RegistryReferenceKind.Dockerfile, at, service, image.Stage);
                }
            }

            private void ScanCompose(JsoncFile json, JsonElement root, JsonElement compose)
            {
                var names = compose.ValueKind == JsonValueKind.String ? new[] { compose.GetString()! }
                    : compose.ValueKind == JsonValueKind.Array ? compose.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray()
                    : new string[0];
                var files = new List<(string, string)>();
                for (var i = 0; i < names.Length; i++)
                {
                    var line = compose.ValueKind == JsonValueKind.Array ? json.LineOf("dockerComposeFile", i.ToString(System.Globalization.CultureInfo.InvariantCulture)) : json.LineOf("dockerComposeFile");
                    var file = Path.GetFullPath(Path.Combine(_directory, names[i]));
                    if (File.Exists(file)) files.Add((file, Relative(file)));
                    else Find("ComposeFileNotFound", FindingSeverity.Error, $"The Compose file {Relative(file)} does not exist, so the container cannot start.", At(_file, line));
                }
                if (files.Count == 0) return;

                var project = ComposeProject.Load(files);
                var expander = VariableExpander.ForCompose(n => project.Environment.TryGetValue(n, out var v) ? v : null);
                string? Interpolate(ComposeValue? value)
                {
                    if (value == null) return null;
                    var unresolved = new List<string>();
                    string expanded;
                    try
                    {
                        expanded = expander.Expand(value.Text, unresolved);
                    }
                    catch (RegistryException limit) when (limit.Kind == ErrorKind.LimitsExceeded)
                    {
                        Find(limit.ErrorId, FindingSeverity.Error,
                            $"{value.Location}: {limit.Message} The reference it makes is not listed; check it by hand.", value.Location);
                        return null;
                    }
                    return Resolved(value.Text, expanded, unresolved, value.Location);
                }

                var main = String(root, "service");
                if (main != null && project.Services.All(s => s.Name != main))
                {
                    Find("ComposeServiceNotFound", FindingSeverity.Error,
                        $"The service '{Redaction.Echo(main)}' is in none of the Compose files, so the container cannot start.", At(_file, json.LineOf("service")));
                }
                foreach (var service in Started(project, main, root))
                {
                    if (service.Image != null) Add(Interpolate(service.Image), RegistryReferenceKind.Compose, service.Image.Location, service.Name);
                    if (service.Build == null) continue;
                    var context = service.BuildContext == null ? "." : Interpolate(service.BuildContext);
                    if (context == null) continue;
                    if (context.Contains("://") || context.StartsWith("git@", StringComparison.Ordinal))
                    {
                        Find("RemoteBuildContext", FindingSeverity.Information,
                            $"The service '{service.Name}' builds from the remote context {Redaction.Echo(context)}; its Dockerfile is not read.", service.Build);
                        continue;
                    }
                    var dockerfile = service.BuildDockerfile == null ? "Dockerfile" : Interpolate(service.BuildDockerfile);
                    if (dockerfile == null) continue;
                    var args = new Dictionary<string, string>(StringComparer.Ordinal);
                    foreach (var arg in service.BuildArgs)
                    {
                        if (Interpolate(arg.Value) is string value) args[arg.Key] = value;
                    }
                    var contextPath = Path.Combine(project.Directory, context);
                    ScanDockerfile(Path.Combine(contextPath, dockerfile), args, Interpolate(service.BuildTarget), service.Build, service.Name);
                }
            }

            /// <summary>
            /// The services <c>docker compose up</c> starts for the container: <c>service</c> and <c>runServices</c>
            /// (every service without <c>profiles</c> when <c>runServices</c> is absent), and what they depend on.
            /// </summary>
            private static IEnumerable<ComposeService> Started(ComposeProject project, string? main, JsonElement root)
            {
                var wanted = root.TryGetProperty("runServices", out var run) && run.ValueKind == JsonValueKind.Array
                    ? new HashSet<string>(run.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!), StringComparer.Ordinal)
                    : new HashSet<string>(project.Services.Where(s => !s.HasProfiles).Select(s => s.Name), StringComparer.Ordinal);
                if (main != null) wanted.Add(main);
                var byName = new Dictionary<string, ComposeService>(StringComparer.Ordinal);
                foreach (var s in project.Services) byName[s.Name] = s;
                var todo = new Stack<string>(wanted);
                while (todo.Count > 0)
                {
                    var name = todo.Pop();
                    byName.TryGetValue(name, out var service);
                    foreach (var dependency in service?.DependsOn ?? Enumerable.Empty<string>())
                    {
                        if (wanted.Add(dependency)) todo.Push(dependency);
                    }
                }
                return project.Services.Where(s => wanted.Contains(s.Name));
            }

            /// <summary>
            /// A key of <c>features</c>: an OCI reference (a registry host first) is pulled from that registry. A local
            /// folder (<c>./name</c>) and an HTTPS tarball are not pulled from a registry; a legacy short id
            /// (<c>node</c>, <c>owner/repo/feature</c>) is not an OCI reference and is reported for rewriting.
            /// </summary>
            private void ScanFeature(string key, SourceLocation at)
            {
                if (key.StartsWith("./", StringComparison.Ordinal) || key.StartsWith("../", StringComparison.Ordinal) || key.StartsWith("/", StringComparison.Ordinal))
                {
                    Find("LocalFeature", FindingSeverity.Information, $"The Feature {Redaction.Echo(key)} is a folder of this repository; nothing is pulled for it.", at);
                    return;
                }
                if (key.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || key.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
                {
                    Find("FeatureTarball", FindingSeverity.Information,
                        $"The Feature {Redaction.Echo(key)} is a tarball downloaded over HTTPS, not an artifact of a container registry; registry secrets do not apply to it.", at);
                    return;
                }
                var slash = key.IndexOf('/');
                var first = slash < 0 ? "" : key.Substring(0, slash);
                if (first.IndexOfAny(new[] { '.', ':' }) < 0 && first != "localhost")
                {
                    Find("LegacyFeatureId", FindingSeverity.Warning,
                        $"The Feature '{Redaction.Echo(key)}' is a legacy id, not an OCI reference, so the registry it comes from cannot be checked. Write the full reference, such as ghcr.io/devcontainers/features/{(slash < 0 ? key : key.Substring(key.LastIndexOf('/') + 1))}:1.", at);
                    return;
                }
                Add(key, RegistryReferenceKind.Feature, at);
            }
        }
    }
}
