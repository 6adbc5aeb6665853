using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;

namespace CodespaceRegistry.ContractTests
{
    /// <summary>A parameter of a compiled cmdlet, as its attributes declare it.</summary>
    /// <remarks>
    /// <paramref name="RejectsNull"/>: PowerShell refuses a null for it (ParameterBinderBase: mandatory in some set
    /// without [AllowNull], or [ValidateNotNull]/[ValidateNotNullOrEmpty]), so a piped property that is null fails the object.
    /// </remarks>
    public sealed record CmdletParameter(string Name, Type Type, IReadOnlyList<string> Aliases, string ParameterSet, bool Mandatory,
        bool ValueFromPipeline, bool ValueFromPipelineByPropertyName, int? Position, bool RejectsNull = false);

    /// <summary>A compiled cmdlet, read from metadata only.</summary>
    public sealed record CmdletInfo(Type Type, string Verb, string Noun, string? DefaultParameterSet, bool SupportsShouldProcess,
        IReadOnlyList<Type> OutputTypes, IReadOnlyList<CmdletParameter> Parameters)
    {
        public string Name => Verb + "-" + Noun;

        public IEnumerable<string> ParameterSets =>
            Parameters.Select(p => p.ParameterSet).Where(s => s != AllSets).Distinct();

        public const string AllSets = "__AllParameterSets";

        /// <summary>The parameters that take part in a set: its own plus those in every set.</summary>
        public IEnumerable<CmdletParameter> InSet(string set) => Parameters.Where(p => p.ParameterSet == set || p.ParameterSet == AllSets);
    }

    /// <summary>
    /// Loads the cmdlet assembly into a <see cref="MetadataLoadContext"/>: types and attributes are read,
    /// nothing runs (PowerShellStandard is a reference assembly whose bodies throw).
    /// </summary>
    public static class CmdletMetadata
    {
        private static readonly Lazy<(MetadataLoadContext Context, Assembly Assembly)> Loaded = new(Load);

        public static string Setting(string key) =>
            typeof(CmdletMetadata).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

        public static string RepoRoot => Setting("RepoRoot");

        public static Assembly CmdletAssembly => Loaded.Value.Assembly;

        public static MetadataLoadContext Context => Loaded.Value.Context;

        private static (MetadataLoadContext, Assembly) Load()
        {
            var cmdletDir = Setting("CmdletAssemblyDir");
            var paths = Directory.GetFiles(cmdletDir, "*.dll")
                .Concat(Directory.GetFiles(Setting("PowerShellStandardDir"), "*.dll"))
                .Concat(Directory.GetFiles(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "*.dll"))
                .GroupBy(Path.GetFileName).Select(g => g.First());
            var context = new MetadataLoadContext(new PathAssemblyResolver(paths), "System.Runtime");
            return (context, context.LoadFromAssemblyPath(Path.Combine(cmdletDir, "CodespaceRegistry.dll")));
        }

        public static IReadOnlyList<CmdletInfo> Cmdlets => CmdletsLazy.Value;

        private static readonly Lazy<IReadOnlyList<CmdletInfo>> CmdletsLazy = new(() =>
            CmdletAssembly.GetTypes()
                .Where(t => t.IsPublic && !t.IsAbstract && t.CustomAttributes.Any(a => a.AttributeType.FullName == "System.Management.Automation.CmdletAttribute"))
                .Select(Read).OrderBy(c => c.Name).ToList());

        public static CmdletInfo Cmdlet(string name) => Cmdlets.Single(c => c.Name == name);

        private static CmdletInfo Read(Type type)
        {
            var cmdlet = type.CustomAttributes.Single(a => a.AttributeType.FullName == "System.Management.Automation.CmdletAttribute");
            var outputs = type.CustomAttributes.Where(a => a.AttributeType.FullName == "System.Management.Automation.OutputTypeAttribute")
                .SelectMany(a => a.ConstructorArguments)
                .SelectMany(arg => arg.Value is IEnumerable<CustomAttributeTypedArgument> many ? many.Select(m => m.Value) : new[] { arg.Value })
                .OfType<Type>().ToList();
            var parameters = new List<CmdletParameter>();
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var aliases = property.CustomAttributes.Where(a => a.AttributeType.FullName == "System.Management.Automation.AliasAttribute")
                    .SelectMany(a => a.ConstructorArguments)
                    .SelectMany(arg => arg.Value is IEnumerable<CustomAttributeTypedArgument> many ? many.Select(m => (string)m.Value!) : new[] { (string)arg.Value! })
                    .ToList();
                var declared = property.CustomAttributes.Where(a => a.AttributeType.FullName == "System.Management.Automation.ParameterAttribute").ToList();
                var attributeNames = property.CustomAttributes.Select(a => a.AttributeType.Name).ToHashSet();
                var rejectsNull = (declared.Any(p => Named<bool>(p, "Mandatory")) && !attributeNames.Contains("AllowNullAttribute")) ||
                                  attributeNames.Contains("ValidateNotNullAttribute") || attributeNames.Contains("ValidateNotNullOrEmptyAttribute");
                foreach (var p in declared)
                {
                    parameters.Add(new CmdletParameter(property.Name, property.PropertyType, aliases,
                        Named<string>(p, "ParameterSetName") ?? CmdletInfo.AllSets,
                        Named<bool>(p, "Mandatory"), Named<bool>(p, "ValueFromPipeline"), Named<bool>(p, "ValueFromPipelineByPropertyName"),
                        Named<int?>(p, "Position") is int pos && pos != int.MinValue ? pos : null, rejectsNull));
                }
            }
            return new CmdletInfo(type, (string)cmdlet.ConstructorArguments[0].Value!, (string)cmdlet.ConstructorArguments[1].Value!,
                Named<string>(cmdlet, "DefaultParameterSetName"), Named<bool>(cmdlet, "SupportsShouldProcess"), outputs, parameters);
        }

        private static T? Named<T>(CustomAttributeData data, string name)
        {
            foreach (var arg in data.NamedArguments)
            {
                if (arg.MemberName == name) return (T?)arg.TypedValue.Value;
            }
            return default;
        }

        /// <summary>Every approved verb, read from the Verbs* classes' constants.</summary>
        public static IReadOnlySet<string> ApprovedVerbs => VerbsLazy.Value;

        private static readonly Lazy<IReadOnlySet<string>> VerbsLazy = new(() =>
        {
            var sma = Context.LoadFromAssemblyName("System.Management.Automation");
            return sma.GetTypes().Where(t => t.Namespace == "System.Management.Automation" && t.Name.StartsWith("Verbs", StringComparison.Ordinal))
                .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
                .Select(f => (string)f.GetRawConstantValue()!).ToHashSet();
        });

        /// <summary>The names in CmdletsToExport of the source manifest.</summary>
        public static IReadOnlyList<string> ManifestCmdlets()
        {
            var text = File.ReadAllText(Path.Combine(RepoRoot, "CodespaceRegistry.psd1"));
            var block = Regex.Match(text, @"CmdletsToExport\s*=\s*@\((?<list>[^)]*)\)", RegexOptions.Singleline);
            return Regex.Matches(block.Groups["list"].Value, @"'([^']+)'").Select(m => m.Groups[1].Value).ToList();
        }

        /// <summary>A type of the Core assembly (the cmdlets' output types), read from metadata.</summary>
        public static Type CoreType(string fullName) =>
            Context.LoadFromAssemblyName("CodespaceRegistry.Core").GetType(fullName, throwOnError: true)!;

        /// <summary>Public readable properties of an output type, by name (case-insensitive, as PowerShell binds).</summary>
        public static IReadOnlyDictionary<string, Type> PropertiesOf(Type type) =>
            type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead)
                .GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First().PropertyType, StringComparer.OrdinalIgnoreCase);
    }
}
