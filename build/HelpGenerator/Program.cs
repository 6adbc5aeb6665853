using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

// HelpGenerator <cmdlet assembly> <its XML documentation> <System.Management.Automation.dll it was compiled against> <output .dll-Help.xml>
//
// Writes the MAML file Get-Help reads for a binary module, from what the assembly declares ([Cmdlet], [Parameter],
// [Alias], [ValidateSet], [SupportsWildcards], [OutputType]) and what its documentation says:
//   class:    <para type="synopsis">, <para type="description"> (one or more), <example> (<code> then <para>s of
//             remarks), <para type="link">Other-Command</para>, <para type="notes">, <para type="inputs">, <para type="outputs">
//   property: <summary>, the parameter's description
// A cmdlet without a synopsis, a parameter without a description or a cmdlet with fewer than two examples fails the build.
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: HelpGenerator <assembly.dll> <assembly.xml> <System.Management.Automation.dll> <out.dll-Help.xml>");
    return 2;
}
var (assemblyPath, docPath, smaPath, outPath) = (Path.GetFullPath(args[0]), args[1], args[2], args[3]);
var probe = Directory.GetFiles(Path.GetDirectoryName(assemblyPath)!, "*.dll")
    .Concat(Directory.GetFiles(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "*.dll"))
    .Append(smaPath)
    .GroupBy(p => Path.GetFileName(p), StringComparer.OrdinalIgnoreCase).Select(g => g.First());
using var context = new MetadataLoadContext(new PathAssemblyResolver(probe));
var assembly = context.LoadFromAssemblyPath(assemblyPath);
var docs = XDocument.Load(docPath).Descendants("member").ToDictionary(m => (string)m.Attribute("name")!, m => m);

XNamespace msh = "http://msh", maml = "http://schemas.microsoft.com/maml/2004/10",
    command = "http://schemas.microsoft.com/maml/dev/command/2004/10", dev = "http://schemas.microsoft.com/maml/dev/2004/10";
var problems = new List<string>();
var commands = new List<XElement>();

foreach (var type in assembly.GetTypes().Where(t => t.IsPublic && !t.IsAbstract).OrderBy(t => t.Name))
{
    var cmdlet = type.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == "System.Management.Automation.CmdletAttribute");
    if (cmdlet == null) continue;
    string verb = (string)cmdlet.ConstructorArguments[0].Value!, noun = (string)cmdlet.ConstructorArguments[1].Value!, name = verb + "-" + noun;
    var named = cmdlet.NamedArguments.ToDictionary(a => a.MemberName, a => a.TypedValue.Value);
    var doc = docs.GetValueOrDefault("T:" + type.FullName)?.Element("summary");
    string Para(string kind) => string.Join("\n\n", doc?.Elements("para").Where(p => (string?)p.Attribute("type") == kind).Select(Text) ?? []);
    var synopsis = Para("synopsis");
    if (synopsis.Length == 0) problems.Add($"{name}: no <para type=\"synopsis\">");

    var parameters = ParametersOf(type, named.TryGetValue("SupportsShouldProcess", out var sp) && sp is true).ToList();
    foreach (var p in parameters.Where(p => p.Description.Length == 0)) problems.Add($"{name} -{p.Name}: no description");
    var sets = parameters.SelectMany(p => p.Sets.Keys).Where(s => s != AllSets).Distinct().ToList();
    var defaultSet = named.GetValueOrDefault("DefaultParameterSetName") as string;
    if (sets.Count == 0) sets.Add(AllSets);
    sets = sets.OrderBy(s => s == defaultSet ? 0 : 1).ToList();

    var examples = docs.GetValueOrDefault("T:" + type.FullName)?.Elements("example").ToList() ?? [];
    if (examples.Count < 2) problems.Add($"{name}: {examples.Count} example(s), at least 2 expected");
    var helpUri = named.GetValueOrDefault("HelpUri") as string;

    commands.Add(new XElement(command + "command",
        new XElement(command + "details",
            new XElement(command + "name", name), new XElement(command + "verb", verb), new XElement(command + "noun", noun),
            Description(synopsis)),
        Description(Para("description")),
        new XElement(command + "syntax", sets.Select(set => new XElement(command + "syntaxItem",
            new XElement(maml + "name", name),
            parameters.Where(p => p.Sets.ContainsKey(set) || p.Sets.ContainsKey(AllSets))
                .OrderBy(p => p.In(set).Position is int pos && pos >= 0 ? pos : int.MaxValue).ThenBy(p => p.In(set).Mandatory ? 0 : 1)
                .Select(p => ParameterElement(p, p.In(set), inSyntax: true))))),
        new XElement(command + "parameters", parameters.Select(p => ParameterElement(p, p.Sets.Values.OrderBy(s => s.Mandatory ? 0 : 1).First(), inSyntax: false))),
        new XElement(command + "inputTypes", Inputs(parameters, Para("inputs"))),
        new XElement(command + "returnValues", type.GetCustomAttributesData()
            .Where(a => a.AttributeType.FullName == "System.Management.Automation.OutputTypeAttribute")
            .SelectMany(a => ((IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!).Select(v => ((Type)v.Value!).FullName!))
            .Select(t => new XElement(command + "returnValue", new XElement(dev + "type", new XElement(maml + "name", t)), Description(Para("outputs"))))),
        new XElement(maml + "alertSet", new XElement(maml + "alert", Paras(Para("notes")))),
        new XElement(command + "examples", examples.Select((e, i) => new XElement(command + "example",
            new XElement(maml + "title", $"-------------------------- Example {i + 1} --------------------------"),
            new XElement(dev + "code", Code(e.Element("code"))),
            new XElement(dev + "remarks", Paras(string.Join("\n\n", e.Elements("para").Select(Text))))))),
        new XElement(command + "relatedLinks",
            helpUri == null ? null : Link("Online Version:", helpUri),
            doc?.Elements("para").Where(p => (string?)p.Attribute("type") == "link").Select(p => Link(Text(p), ""))),
        new XAttribute(XNamespace.Xmlns + "maml", maml), new XAttribute(XNamespace.Xmlns + "command", command), new XAttribute(XNamespace.Xmlns + "dev", dev)));
}

if (commands.Count == 0) problems.Add("no cmdlets found");
if (problems.Count > 0)
{
    foreach (var problem in problems) Console.Error.WriteLine($"{docPath}: error HELP001: {problem}");
    return 1;
}
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement(msh + "helpItems", new XAttribute("schema", "maml"), commands)).Save(outPath);
Console.WriteLine($"Help for {commands.Count} cmdlets: {outPath}");
return 0;

// The parameters of a cmdlet, base classes' included, in declaration order (base first), with ShouldProcess's two.
IEnumerable<Parameter> ParametersOf(Type type, bool shouldProcess)
{
    var chain = new List<Type>();
    for (var t = type; t != null && t.Assembly == assembly; t = t.BaseType) chain.Insert(0, t);
    foreach (var property in chain.SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)))
    {
        var attributes = property.GetCustomAttributesData();
        var sets = attributes.Where(a => a.AttributeType.FullName == "System.Management.Automation.ParameterAttribute").ToDictionary(
            a => a.NamedArguments.Where(n => n.MemberName == "ParameterSetName").Select(n => (string)n.TypedValue.Value!).FirstOrDefault() ?? AllSets,
            a => new SetUse(
                a.NamedArguments.Any(n => n.MemberName == "Mandatory" && n.TypedValue.Value is true),
                a.NamedArguments.Where(n => n.MemberName == "Position").Select(n => (int?)n.TypedValue.Value).FirstOrDefault(),
                a.NamedArguments.Any(n => n.MemberName == "ValueFromPipeline" && n.TypedValue.Value is true),
                a.NamedArguments.Any(n => n.MemberName == "ValueFromPipelineByPropertyName" && n.TypedValue.Value is true)));
        if (sets.Count == 0) continue;
        string[] Strings(string attribute) => attributes.Where(a => a.AttributeType.FullName == attribute)
            .SelectMany(a => a.ConstructorArguments.SelectMany(c => c.Value is IEnumerable<CustomAttributeTypedArgument> list ? list.Select(v => (string)v.Value!) : [(string)c.Value!])).ToArray();
        var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var validValues = Strings("System.Management.Automation.ValidateSetAttribute");
        if (validValues.Length == 0 && propertyType.IsEnum) validValues = propertyType.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.Name).ToArray();
        yield return new Parameter(property.Name, propertyType.Name, propertyType.Name == "SwitchParameter",
            Text(docs.GetValueOrDefault($"P:{property.DeclaringType!.FullName}.{property.Name}")?.Element("summary")),
            Strings("System.Management.Automation.AliasAttribute"), validValues,
            attributes.Any(a => a.AttributeType.FullName == "System.Management.Automation.SupportsWildcardsAttribute"), sets);
    }
    if (!shouldProcess) yield break;
    var none = new Dictionary<string, SetUse> { [AllSets] = new SetUse(false, null, false, false) };
    yield return new Parameter("WhatIf", "SwitchParameter", true, "Shows what would happen if the command runs. The command does not run.", ["wi"], [], false, none);
    yield return new Parameter("Confirm", "SwitchParameter", true, "Prompts you for confirmation before running the command.", ["cf"], [], false, none);
}

XElement ParameterElement(Parameter p, SetUse use, bool inSyntax) => new(command + "parameter",
    new XAttribute("required", use.Mandatory ? "true" : "false"),
    new XAttribute("variableLength", p.TypeName.EndsWith("[]") ? "true" : "false"),
    new XAttribute("globbing", p.Wildcards ? "true" : "false"),
    new XAttribute("pipelineInput", (use.ByValue, use.ByPropertyName) switch
    {
        (true, true) => "True (ByValue, ByPropertyName)",
        (true, false) => "True (ByValue)",
        (false, true) => "True (ByPropertyName)",
        _ => "False",
    }),
    new XAttribute("position", use.Position is int pos && pos >= 0 ? pos.ToString() : "named"),
    new XAttribute("aliases", p.Aliases.Length == 0 ? "none" : string.Join(", ", p.Aliases)),
    new XElement(maml + "name", p.Name),
    Description(p.Description),
    p.IsSwitch && inSyntax ? null : new XElement(command + "parameterValue", new XAttribute("required", p.IsSwitch ? "false" : "true"),
        new XAttribute("variableLength", p.TypeName.EndsWith("[]") ? "true" : "false"), p.TypeName),
    inSyntax && p.ValidValues.Length > 0
        ? new XElement(command + "parameterValueGroup", p.ValidValues.Select(v => new XElement(command + "parameterValue",
            new XAttribute("required", "false"), new XAttribute(command + "variableLength", "false"), v)))
        : null,
    new XElement(dev + "type", new XElement(maml + "name", p.TypeName), new XElement(maml + "uri")),
    new XElement(dev + "defaultValue", p.IsSwitch ? "False" : "None"));

IEnumerable<XElement> Inputs(List<Parameter> parameters, string text)
{
    var piped = parameters.Where(p => p.Sets.Values.Any(s => s.ByValue || s.ByPropertyName)).ToList();
    if (piped.Count == 0)
    {
        yield return new XElement(command + "inputType", new XElement(dev + "type", new XElement(maml + "name", "None")),
            Description(text.Length > 0 ? text : "This command takes no pipeline input."));
        yield break;
    }
    foreach (var p in piped)
    {
        var (byValue, byName) = (p.Sets.Values.Any(s => s.ByValue), p.Sets.Values.Any(s => s.ByPropertyName));
        var how = byValue && byName ? "by value, or from a property named " : byValue ? "by value" : "from a property named ";
        var names = byName ? string.Join(" or ", p.Aliases.Prepend(p.Name)) : "";
        yield return new XElement(command + "inputType", new XElement(dev + "type", new XElement(maml + "name", p.TypeName.TrimEnd('[', ']'))),
            Description($"-{p.Name} binds pipeline input {how}{names}." + (text.Length > 0 ? "\n\n" + text : "")));
    }
}

XElement Description(string text) => new(maml + "description", Paras(text));

IEnumerable<XElement> Paras(string text) =>
    text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(p => new XElement(maml + "para", p.Trim()));

XElement Link(string text, string uri) => new(maml + "navigationLink", new XElement(maml + "linkText", text), new XElement(maml + "uri", uri));

// Documentation text as a reader sees it: whitespace collapsed, <c>x</c> as x, <see cref="T:A.B"/> as B, <paramref name="x"/> as -x.
static string Text(XElement? element)
{
    if (element == null) return "";
    var parts = element.Nodes().Select(n => n switch
    {
        XText t => t.Value,
        XElement { Name.LocalName: "see" or "seealso" } e => e.Attribute("langword")?.Value ?? ((string?)e.Attribute("cref"))?.Split('.', ':').Last() ?? e.Value,
        XElement { Name.LocalName: "paramref" } e => "-" + (string?)e.Attribute("name"),
        XElement { Name.LocalName: "para" } e => "\n\n" + Text(e) + "\n\n",
        XElement e => Text(e),
        _ => "",
    });
    var text = string.Concat(parts);
    return string.Join("\n\n", text.Split("\n\n").Select(p => Regex.Replace(p, @"\s+", " ").Trim()).Where(p => p.Length > 0));
}

// An example's code as written, less the comment's indentation.
static string Code(XElement? code)
{
    var lines = (code?.Value ?? "").Replace("\r", "").Split('\n').SkipWhile(string.IsNullOrWhiteSpace).Reverse().SkipWhile(string.IsNullOrWhiteSpace).Reverse().ToList();
    var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
    return string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
}

partial class Program
{
    private const string AllSets = "__AllParameterSets";
}

record SetUse(bool Mandatory, int? Position, bool ByValue, bool ByPropertyName);

record Parameter(string Name, string TypeName, bool IsSwitch, string Description, string[] Aliases, string[] ValidValues, bool Wildcards, Dictionary<string, SetUse> Sets)
{
    public SetUse In(string set) => Sets.GetValueOrDefault(set) ?? Sets["__AllParameterSets"];
}
