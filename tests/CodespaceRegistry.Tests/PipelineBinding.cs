using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace CodespaceRegistry.ContractTests
{
    /// <summary>
    /// A model of how PowerShell binds one pipeline object to a cmdlet's parameters (CmdletParameterBinderController,
    /// ParameterSetResolver, ParameterBinderBase), after the parameters named on the command line:
    /// <list type="bullet">
    /// <item>named parameters narrow the sets; with several left, sets in which no unbound parameter takes pipeline
    /// input are dropped (FilterParameterSetsTakingNoPipelineInput);</item>
    /// <item>four passes — by value without coercion, by property name without coercion, by value with coercion, by
    /// property name with coercion — each trying the default set first and the other valid sets only when nothing
    /// bound there;</item>
    /// <item>after a pass binds, the valid sets narrow, and the default set is taken as soon as it is among several
    /// (ValidateParameterSets with setDefault); several sets without the default stay only while an unbound
    /// parameter of theirs still takes pipeline input, else the one without unbound mandatory parameters wins or
    /// the set is ambiguous;</item>
    /// <item>a property is found by the parameter's name, and only when there is none, by its aliases; a failed
    /// conversion skips the parameter, but a null that the parameter refuses (mandatory, [ValidateNotNull...])
    /// fails the object.</item>
    /// </list>
    /// </summary>
    public sealed class PipelineBinding
    {
        public enum Pass
        {
            ValueNoCoercion,
            PropertyNoCoercion,
            ValueWithCoercion,
            PropertyWithCoercion,
        }

        private readonly CmdletInfo _cmdlet;
        private readonly HashSet<string> _named;

        // Null until a parameter of a particular set binds: the engine's "all sets" flag.
        private HashSet<string>? _valid;

        private PipelineBinding(CmdletInfo cmdlet, IEnumerable<string> named)
        {
            _cmdlet = cmdlet;
            _named = new HashSet<string>(named, StringComparer.OrdinalIgnoreCase);
        }

        /// <summary>The parameters the piped object binds (named parameters not included).</summary>
        public List<string> Bound { get; } = new();

        public Dictionary<string, Pass> Passes { get; } = new();

        /// <summary>Why PowerShell would refuse the object, or null when a single parameter set binds completely.</summary>
        public string? Error { get; private set; }

        public string? ParameterSet { get; private set; }

        /// <param name="named">Parameters given on the command line, such as <c>Image</c> for <c>| Test-RegistryAccess -Image x</c>.</param>
        public static PipelineBinding Bind(CmdletInfo cmdlet, Type input, params string[] named)
        {
            var result = new PipelineBinding(cmdlet, named);
            result.Run(input);
            return result;
        }

        private IEnumerable<string> AllSets => _cmdlet.ParameterSets.DefaultIfEmpty(CmdletInfo.AllSets);

        private IEnumerable<string> Valid => _valid ?? AllSets;

        private bool IsBound(string name) => _named.Contains(name) || Bound.Contains(name);

        private void Run(Type input)
        {
            var properties = input.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead)
                .GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);

            foreach (var name in _named)
            {
                if (!_cmdlet.Parameters.Any(p => p.Name == name)) throw new ArgumentException($"{_cmdlet.Name} has no parameter -{name}.");
                if (!Narrow(name)) return;
            }
            if (_valid != null && _valid.Count > 1)
            {
                var taking = _valid.Where(set => Unbound(new[] { set }).Any(TakesPipelineInput)).ToHashSet();
                if (taking.Count > 0) _valid = taking;
            }

            foreach (Pass pass in Enum.GetValues(typeof(Pass)))
            {
                var defaultValid = _cmdlet.DefaultParameterSet != null && Valid.Contains(_cmdlet.DefaultParameterSet);
                var bound = defaultValid ? BindIn(new[] { _cmdlet.DefaultParameterSet! }, pass, input, properties) : new List<CmdletParameter>();
                if (Error != null) return;
                if (bound.Count == 0)
                {
                    bound = BindIn(Valid.Where(s => !defaultValid || s != _cmdlet.DefaultParameterSet).ToList(), pass, input, properties);
                    if (Error != null) return;
                }
                if (bound.Count == 0) continue;
                foreach (var name in bound.Select(p => p.Name).Distinct())
                {
                    if (!Narrow(name)) return;
                }
                if (!Validate(prePipelineInput: true)) return;
            }

            if (Bound.Count == 0)
            {
                Error = "no parameter takes the object";
                return;
            }
            if (!Validate(prePipelineInput: false)) return;
            ParameterSet = _valid?.Single() ?? _cmdlet.DefaultParameterSet ?? CmdletInfo.AllSets;
            var missing = _cmdlet.InSet(ParameterSet).Where(p => p.Mandatory && !IsBound(p.Name)).Select(p => p.Name).ToList();
            if (missing.Count > 0) Error = $"mandatory parameters left unbound in set {ParameterSet}: {string.Join(", ", missing)}";
        }

        /// <summary>A parameter of particular sets bound: only those sets stay valid. False (with the error) when none does.</summary>
        private bool Narrow(string name)
        {
            var sets = _cmdlet.Parameters.Where(p => p.Name == name).Select(p => p.ParameterSet).ToList();
            if (sets.Contains(CmdletInfo.AllSets)) return true;
            _valid = (_valid ?? AllSets.ToHashSet()).Intersect(sets).ToHashSet();
            if (_valid.Count > 0) return true;
            Error = $"-{name} belongs to another parameter set than the parameters bound before it (AmbiguousParameterSet)";
            return false;
        }

        /// <summary>ParameterSetResolver.ValidateParameterSets(prePipelineInput, setDefault: true).</summary>
        private bool Validate(bool prePipelineInput)
        {
            var defaultSet = _cmdlet.DefaultParameterSet;
            if (_valid == null)
            {
                if (prePipelineInput && Unbound(AllSets).Any(TakesPipelineInput)) return true;
                if (defaultSet != null || AllSets.Count() == 1)
                {
                    if (defaultSet != null) _valid = new HashSet<string> { defaultSet };
                    return true;
                }
                return ResolveByMandatory(AllSets);
            }
            if (_valid.Count == 1) return true;
            if (defaultSet != null && _valid.Contains(defaultSet))
            {
                _valid = new HashSet<string> { defaultSet };
                return true;
            }
            if (prePipelineInput && Unbound(_valid).Any(TakesPipelineInput)) return true;
            return ResolveByMandatory(_valid);
        }

        // The one set without unbound mandatory parameters, or AmbiguousParameterSet.
        private bool ResolveByMandatory(IEnumerable<string> sets)
        {
            var complete = sets.Where(s => !_cmdlet.Parameters.Any(p => p.ParameterSet == s && p.Mandatory && !IsBound(p.Name))).ToList();
            if (complete.Count == 1)
            {
                _valid = new HashSet<string> { complete[0] };
                return true;
            }
            Error = $"ambiguous parameter sets: {string.Join(", ", sets)}";
            return false;
        }

        private IEnumerable<CmdletParameter> Unbound(IEnumerable<string> sets)
        {
            var list = sets.ToList();
            return _cmdlet.Parameters.Where(p => (list.Contains(p.ParameterSet) || p.ParameterSet == CmdletInfo.AllSets) && !IsBound(p.Name));
        }

        private static bool TakesPipelineInput(CmdletParameter p) => p.ValueFromPipeline || p.ValueFromPipelineByPropertyName;

        private List<CmdletParameter> BindIn(IReadOnlyCollection<string> sets, Pass pass, Type input, IReadOnlyDictionary<string, PropertyInfo> properties)
        {
            var bound = new List<CmdletParameter>();
            foreach (var p in Unbound(sets))
            {
                if (IsBound(p.Name)) continue;
                bool binds;
                if (pass == Pass.ValueNoCoercion || pass == Pass.ValueWithCoercion)
                {
                    binds = p.ValueFromPipeline && (pass == Pass.ValueNoCoercion ? Assignable(p.Type, input) : Coercible(input, p.Type));
                }
                else
                {
                    var property = p.ValueFromPipelineByPropertyName ? PropertyFor(p, properties) : null;
                    if (property == null) continue;
                    if (p.RejectsNull && MayBeNull(property))
                    {
                        Error = $"{input.Name}.{property.Name} may be null, and -{p.Name} refuses null: PowerShell fails the object (ParameterArgumentValidationError)";
                        return bound;
                    }
                    binds = pass == Pass.PropertyNoCoercion ? Assignable(p.Type, property.PropertyType) : Coercible(property.PropertyType, p.Type);
                }
                if (!binds) continue;
                Bound.Add(p.Name);
                Passes[p.Name] = pass;
                bound.Add(p);
            }
            return bound;
        }

        private static PropertyInfo? PropertyFor(CmdletParameter p, IReadOnlyDictionary<string, PropertyInfo> properties)
        {
            if (properties.TryGetValue(p.Name, out var byName)) return byName;
            foreach (var alias in p.Aliases)
            {
                if (properties.TryGetValue(alias, out var byAlias)) return byAlias;
            }
            return null;
        }

        private static bool MayBeNull(PropertyInfo property)
        {
            if (property.PropertyType.IsValueType) return Nullable(property.PropertyType) != null;
            return new NullabilityInfoContext().Create(property).ReadState != NullabilityState.NotNull;
        }

        private static Type? Nullable(Type t) => t.IsGenericType && t.GetGenericTypeDefinition().FullName == "System.Nullable`1" ? t.GetGenericArguments()[0] : null;

        private static Type Unwrap(Type t) => Nullable(t) ?? t;

        private static bool IsString(Type t) => t.FullName == "System.String";

        /// <summary>The element type of a collection (an array or an IEnumerable&lt;T&gt; other than string), or null.</summary>
        private static Type? ElementOf(Type t)
        {
            if (t.IsArray) return t.GetElementType();
            if (IsString(t)) return null;
            var enumerable = t.IsGenericType && t.GetGenericTypeDefinition().FullName == "System.Collections.Generic.IEnumerable`1"
                ? t
                : t.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition().FullName == "System.Collections.Generic.IEnumerable`1");
            return enumerable?.GetGenericArguments()[0];
        }

        private static bool TakesAnything(Type t) => t.FullName is "System.Object" or "System.Management.Automation.PSObject";

        // ShouldContinueUncoercedBind: the value is of the parameter's type, or a collection of its element type.
        private static bool Assignable(Type parameter, Type value)
        {
            var target = Unwrap(ElementOf(parameter) ?? parameter);
            value = Unwrap(value);
            if (TakesAnything(target) || Unwrap(parameter).IsAssignableFrom(value) || target.IsAssignableFrom(value)) return true;
            return ElementOf(parameter) != null && ElementOf(value) is Type element && target.IsAssignableFrom(Unwrap(element));
        }

        // CoerceTypeAsNeeded and LanguagePrimitives: anything becomes a string, a collection only a collection; a string
        // becomes an enum, a number or a type with Parse(string); any value a type with a constructor that takes it.
        private static bool Coercible(Type value, Type parameter)
        {
            if (Assignable(parameter, value)) return true;
            var parameterElement = ElementOf(parameter);
            var valueElement = ElementOf(value);
            if (valueElement != null)
            {
                if (parameterElement == null) return TakesAnything(Unwrap(parameter)) || Unwrap(parameter).IsEnum;
                return Scalar(Unwrap(valueElement), Unwrap(parameterElement));
            }
            return Scalar(Unwrap(value), Unwrap(parameterElement ?? parameter));
        }

        private static bool Scalar(Type value, Type target)
        {
            if (TakesAnything(target) || IsString(target) || target.IsAssignableFrom(value)) return true;
            if (target.GetConstructor(new[] { value }) != null) return true;
            if (!IsString(value)) return false;
            return target.IsEnum || target.IsPrimitive ||
                   target.GetMethod("Parse", BindingFlags.Public | BindingFlags.Static, null, new[] { value }, null) != null;
        }
    }
}
