using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CodespaceRegistry.Devcontainer
{
    /// <summary>A value written in a Compose file, not yet interpolated, with where it was written.</summary>
    internal sealed class ComposeValue
    {
        public ComposeValue(string text, SourceLocation location)
        {
            Text = text;
            Location = location;
        }

        public string Text { get; }

        public SourceLocation Location { get; }
    }

    /// <summary>What a Compose service pulls or builds, merged over every file of the project.</summary>
    internal sealed class ComposeService
    {
        public ComposeService(string name) { Name = name; }

        public string Name { get; }

        public ComposeValue? Image { get; set; }

        /// <summary>Where <c>build:</c> is written; null when the service builds nothing.</summary>
        public SourceLocation? Build { get; set; }

        public ComposeValue? BuildContext { get; set; }

        public ComposeValue? BuildDockerfile { get; set; }

        public ComposeValue? BuildTarget { get; set; }

        public Dictionary<string, ComposeValue> BuildArgs { get; } = new Dictionary<string, ComposeValue>(StringComparer.Ordinal);

        public List<string> DependsOn { get; } = new List<string>();

        /// <summary>The service lists <c>profiles</c>: <c>docker compose up</c> starts it only when it is named or depended on.</summary>
        public bool HasProfiles { get; set; }
    }

    /// <summary>
    /// The services of a Compose project made of one or more files, later files overriding earlier ones, as
    /// <c>docker compose -f a.yml -f b.yml</c> merges them: <c>image</c>, <c>build</c> (a context string or
    /// <c>{context, dockerfile, args, target}</c>), <c>depends_on</c>, <c>profiles</c>, with YAML anchors and <c>&lt;&lt;</c> merge keys.
    /// Relative paths are relative to the first file's folder, the project directory, which also holds <c>.env</c>.
    /// </summary>
    internal sealed class ComposeProject
    {
        private ComposeProject(string directory, List<ComposeService> services, Dictionary<string, string> environment)
        {
            Directory = directory;
            Services = services;
            Environment = environment;
        }

        public string Directory { get; }

        /// <summary>Services in the order they were first written.</summary>
        public IReadOnlyList<ComposeService> Services { get; }

        /// <summary>The variables of the project's <c>.env</c> file, which Compose interpolates.</summary>
        public IReadOnlyDictionary<string, string> Environment { get; }

        /// <summary>How deep mappings and sequences may nest; YamlDotNet builds its tree recursively.</summary>
        public const int MaxDepth = 64;

        /// <summary>How many mappings the <c>&lt;&lt;</c> merge keys of one file may make this reader visit in all.</summary>
        public const int MaxMergeVisits = 100_000;

        private const string InvalidErrorId = "ComposeFileInvalid";

        /// <exception cref="RegistryException">ErrorId <c>ComposeFileInvalid</c> naming the file and line.</exception>
        public static ComposeProject Load(IReadOnlyList<(string File, string RelativePath)> files)
        {
            var directory = Path.GetDirectoryName(files[0].File)!;
            var services = new List<ComposeService>();
            var byName = new Dictionary<string, ComposeService>(StringComparer.Ordinal);
            foreach (var (file, relative) in files)
            {
                var text = LocalFile.ReadText(file, relative, InvalidErrorId)
                    ?? throw new RegistryException(InvalidErrorId, ErrorKind.ObjectNotFound, $"{relative} does not exist.");
                var stream = new YamlStream();
                try
                {
                    stream.Load(new GuardedParser(new Parser(new StringReader(text)), relative));
                }
                catch (YamlException e)
                {
                    throw new RegistryException(InvalidErrorId, ErrorKind.InvalidData,
                        $"{relative} is not valid YAML near line {e.Start.Line}. Fix the file so that docker compose can read it.", e);
                }
                catch (Exception e) when (e is InvalidOperationException || e is ArgumentException || e is FormatException || e is IndexOutOfRangeException)
                {
                    // YamlDotNet fails on some malformed input with these instead of a YamlException.
                    throw new RegistryException(InvalidErrorId, ErrorKind.InvalidData,
                        $"{relative} is not valid YAML. Fix the file so that docker compose can read it.", e);
                }
                if (stream.Documents.Count == 0 || !(stream.Documents[0].RootNode is YamlMappingNode root)) continue;
                var keys = new MergeKeys(relative);
                if (!(keys.Get(root, "services") is YamlMappingNode serviceNodes)) continue;
                foreach (var entry in serviceNodes.Children)
                {
                    if (!(entry.Key is YamlScalarNode key) || !(entry.Value is YamlMappingNode node) || key.Value == null) continue;
                    if (!byName.TryGetValue(key.Value, out var service))
                    {
                        services.Add(service = byName[key.Value] = new ComposeService(key.Value));
                    }
                    Merge(service, node, keys, n => new SourceLocation(file, relative, (int)n.Start.Line));
                }
            }
            return new ComposeProject(directory, services, ReadDotEnv(Path.Combine(directory, ".env")));
        }

        /// <summary>
        /// Reads the YAML events ahead of YamlDotNet's recursive loader and stops, with a classified error, what would take
        /// it down: mappings and sequences nested deeper than <see cref="MaxDepth"/>, and an alias inside the very node its
        /// anchor names (<c>app: &amp;a { &lt;&lt;: *a }</c>, or <c>&amp;a [ *a ]</c>), a cycle that YamlDotNet follows without end when it
        /// compares keys, and that docker compose refuses too ("anchor value contains itself").
        /// </summary>
        private sealed class GuardedParser : IParser
        {
            private readonly IParser _inner;
            private readonly string _file;
            private readonly Stack<string?> _open = new Stack<string?>();

            public GuardedParser(IParser inner, string file)
            {
                _inner = inner;
                _file = file;
            }

            public YamlDotNet.Core.Events.ParsingEvent? Current => _inner.Current;

            public bool MoveNext()
            {
                if (!_inner.MoveNext()) return false;
                var line = _inner.Current!.Start.Line;
                switch (_inner.Current)
                {
                    case YamlDotNet.Core.Events.NodeEvent start when start is YamlDotNet.Core.Events.MappingStart || start is YamlDotNet.Core.Events.SequenceStart:
                        if (_open.Count >= MaxDepth)
                        {
                            throw new RegistryException(InvalidErrorId, ErrorKind.LimitsExceeded,
                                $"{_file} nests mappings and sequences more than {MaxDepth} deep at line {line}, more than this tool reads.");
                        }
                        _open.Push(start.Anchor.IsEmpty ? null : start.Anchor.Value);
                        break;
                    case YamlDotNet.Core.Events.MappingEnd _:
                    case YamlDotNet.Core.Events.SequenceEnd _:
                        if (_open.Count > 0) _open.Pop();
                        break;
                    case YamlDotNet.Core.Events.AnchorAlias alias when _open.Contains(alias.Value.Value):
                        throw new RegistryException(InvalidErrorId, ErrorKind.InvalidData,
                            $"{_file} line {line}: the alias *{Redaction.Echo(alias.Value.Value)} is inside the node its anchor names, so that node contains itself. Docker compose refuses such a file too: merge or repeat an anchor defined before it.");
                }
                return true;
            }
        }

        /// <summary>
        /// The keys of a mapping, looking through <c>&lt;&lt;</c> merge keys as YAML 1.1 (and Compose) do: the mapping's own
        /// keys first, then each merged mapping in order. A mapping merged twice (or into itself) is visited once, and the
        /// visits of one file are bounded by <see cref="MaxMergeVisits"/>.
        /// </summary>
        private sealed class MergeKeys
        {
            private readonly string _file;
            private int _visits;

            public MergeKeys(string file) { _file = file; }

            public YamlNode? Get(YamlMappingNode map, string key)
            {
                var seen = new HashSet<YamlMappingNode>(SameNode.Instance);
                var todo = new Stack<YamlMappingNode>();
                todo.Push(map);
                while (todo.Count > 0)
                {
                    var current = todo.Pop();
                    if (!seen.Add(current)) continue;
                    if (++_visits > MaxMergeVisits)
                    {
                        throw new RegistryException(InvalidErrorId, ErrorKind.LimitsExceeded,
                            $"{_file} merges mappings (<<) more than {MaxMergeVisits} times near line {current.Start.Line}, more than this tool follows.");
                    }
                    var merged = new List<YamlMappingNode>();
                    foreach (var pair in current.Children)
                    {
                        if (!(pair.Key is YamlScalarNode k)) continue;
                        if (k.Value == key) return pair.Value;
                        if (k.Value != "<<") continue;
                        if (pair.Value is YamlMappingNode one) merged.Add(one);
                        else if (pair.Value is YamlSequenceNode many) merged.AddRange(many.Children.OfType<YamlMappingNode>());
                    }
                    for (var i = merged.Count - 1; i >= 0; i--) todo.Push(merged[i]);
                }
                return null;
            }
        }

        /// <summary>Identity, not YamlDotNet's structural equality, which recurses into a mapping merged into itself.</summary>
        private sealed class SameNode : IEqualityComparer<YamlMappingNode>
        {
            public static readonly SameNode Instance = new SameNode();

            public bool Equals(YamlMappingNode? x, YamlMappingNode? y) => ReferenceEquals(x, y);

            public int GetHashCode(YamlMappingNode node) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(node);
        }

        private static void Merge(ComposeService service, YamlMappingNode node, MergeKeys keys, Func<YamlNode, SourceLocation> at)
        {
            YamlNode? Get(YamlMappingNode map, string key) => keys.Get(map, key);

            ComposeValue? Value(YamlNode? n) => n is YamlScalarNode s && s.Value != null ? new ComposeValue(s.Value, at(s)) : null;

            if (Value(Get(node, "image")) is ComposeValue image) service.Image = image;

            var build = Get(node, "build");
            if (build is YamlScalarNode context)
            {
                service.Build = at(context);
                service.BuildContext = Value(context);
            }
            else if (build is YamlMappingNode spec)
            {
                service.Build = at(spec);
                service.BuildContext = Value(Get(spec, "context")) ?? service.BuildContext;
                service.BuildDockerfile = Value(Get(spec, "dockerfile")) ?? service.BuildDockerfile;
                service.BuildTarget = Value(Get(spec, "target")) ?? service.BuildTarget;
                switch (Get(spec, "args"))
                {
                    case YamlMappingNode args:
                        foreach (var arg in args.Children)
                        {
                            if (arg.Key is YamlScalarNode name && Value(arg.Value) is ComposeValue v) service.BuildArgs[name.Value!] = v;
                        }
                        break;
                    case YamlSequenceNode args:
                        foreach (var item in args.Children.OfType<YamlScalarNode>())
                        {
                            var eq = item.Value?.IndexOf('=') ?? -1;
                            if (eq > 0) service.BuildArgs[item.Value!.Substring(0, eq)] = new ComposeValue(item.Value.Substring(eq + 1), at(item));
                        }
                        break;
                }
            }

            if (Get(node, "profiles") is YamlSequenceNode profiles && profiles.Children.Count > 0) service.HasProfiles = true;

            var dependsOn = Get(node, "depends_on");
            var names = dependsOn is YamlSequenceNode list ? list.Children.OfType<YamlScalarNode>().Select(s => s.Value)
                : dependsOn is YamlMappingNode map ? map.Children.Keys.OfType<YamlScalarNode>().Select(s => s.Value)
                : Enumerable.Empty<string?>();
            var known = new HashSet<string>(service.DependsOn, StringComparer.Ordinal);
            foreach (var name in names)
            {
                if (name != null && known.Add(name)) service.DependsOn.Add(name);
            }
        }

        /// <summary>Reads <c>KEY=VALUE</c> lines of a Compose <c>.env</c> file; comments, <c>export</c> and quotes allowed.</summary>
        private static Dictionary<string, string> ReadDotEnv(string path)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var text = LocalFile.ReadText(path, path, InvalidErrorId);
            if (text == null) return values;
            foreach (var raw in text.Split('\n'))
            {
                var line = raw.Trim();
                if (line.Length == 0 || line[0] == '#') continue;
                if (line.StartsWith("export ", StringComparison.Ordinal)) line = line.Substring("export ".Length).TrimStart();
                var eq = line.IndexOf('=');
                if (eq <= 0) continue;
                var value = line.Substring(eq + 1).Trim();
                if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[value.Length - 1] == value[0])
                    value = value.Substring(1, value.Length - 2);
                else if (value.IndexOf(" #", StringComparison.Ordinal) is var hash && hash >= 0)
                    value = value.Substring(0, hash).TrimEnd();
                values[line.Substring(0, eq).Trim()] = value;
            }
            return values;
        }
    }
}
