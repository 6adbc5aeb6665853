using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace CodespaceRegistry.ContractTests
{
    /// <summary>
    /// A model of how PowerShell binds one pipeline object to a cmdlet's parameters (CmdletParameterBinderController):
    /// four passes — by value without coercion, by property name without coercion, by value with coercion, by property
    /// name with coercion — each trying the default parameter set first, narrowing the valid sets whenever a parameter
    /// binds; a property is found by the parameter's name, and only when there is none, by its aliases.
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

        public List<string> Bound { get; } = new();

        public Dictionary<string, Pass> Passes { get; } = new();

        /// <summary>Why PowerShell would refuse the object, or null when a single parameter set binds completely.</summary>
        public string? Error { get; private set; }

        public string? ParameterSet { get; private set; }

        public static PipelineBinding Bind(CmdletInfo cmdlet, Type input)
        {
            var result = new PipelineBinding();
            var properties = input.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead)
                .GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().PropertyType, StringComparer.OrdinalIgnoreCase);
            var valid = cmdlet.ParameterSets.DefaultIfEmpty(CmdletInfo.AllSets).ToHashSet();

            foreach (Pass pass in Enum.GetValues(typeof(Pass)))
            {
                var bound = cmdlet.DefaultParameterSet != null && valid.Contains(cmdlet.DefaultParameterSet)
                    ? result.BindIn(cmdlet, new[] { cmdlet.DefaultParameterSet }, pass, input, properties)
                    : new List<CmdletParameter>();
                if (bound.Count == 0) bound = result.BindIn(cmdlet, valid.Where(s => s != cmdlet.DefaultParameterSet).ToList(), pass, input, properties);
                foreach (var p in bound.Where(p => p.ParameterSet != CmdletInfo.AllSets))
                {
                    valid.IntersectWith(cmdlet.Parameters.Where(q => q.Name == p.Name).Select(q => q.ParameterSet));
                }
                if (valid.Count == 0)
                {
                    result.Error = "the bound parameters belong to different parameter sets (parameter set cannot be resolved)";
                    return result;
                }
            }

            if (result.Bound.Count == 0)
            {
                result.Error = "no parameter takes the object";
                return result;
            }
            var set = valid.Count == 1 ? valid.Single() : valid.Contains(cmdlet.DefaultParameterSet!) ? cmdlet.DefaultParameterSet! : null;
            if (set == null)
            {
                result.Error = $"ambiguous parameter sets: {string.Join(", ", valid)}";
                return result;
            }
            result.ParameterSet = set;
            var missing = cmdlet.InSet(set).Where(p => p.Mandatory && !result.Bound.Contains(p.Name)).Select(p => p.Name).ToList();
            if (missing.Count > 0) result.Error = $"mandatory parameters left unbound in set {set}: {string.Join(", ", missing)}";
            return result;
        }

        private List<CmdletParameter> BindIn(CmdletInfo cmdlet, IReadOnlyCollection<string> sets, Pass pass, Type input, IReadOnlyDictionary<string, Type> properties)
        {
            var bound = new List<CmdletParameter>();
            foreach (var p in cmdlet.Parameters.Where(p => (sets.Contains(p.ParameterSet) || p.ParameterSet == CmdletInfo.AllSets) && !Bound.Contains(p.Name)))
            {
                var binds = pass switch
                {
                    Pass.ValueNoCoercion => p.ValueFromPipeline && Assignable(p.Type, input),
                    Pass.PropertyNoCoercion => p.ValueFromPipelineByPropertyName && PropertyFor(p, properties) is Type t && Assignable(p.Type, t),
                    Pass.ValueWithCoercion => p.ValueFromPipeline && Coercible(input, p.Type),
                    _ => p.ValueFromPipelineByPropertyName && PropertyFor(p, properties) is Type u && Coercible(u, p.Type),
                };
                if (!binds || Bound.Contains(p.Name)) continue;
                Bound.Add(p.Name);
                Passes[p.Name] = pass;
                bound.Add(p);
            }
            return bound;
        }

        private static Type? PropertyFor(CmdletParameter p, IReadOnlyDictionary<string, Type> properties)
        {
            if (properties.TryGetValue(p.Name, out var byName)) return byName;
            foreach (var alias in p.Aliases)
            {
                if (properties.TryGetValue(alias, out var byAlias)) return byAlias;
            }
            return null;
        }

        private static Type Element(Type t) => t.IsArray ? t.GetElementType()! : t;

        private static Type Unwrap(Type t) => t.IsGenericType && t.GetGenericTypeDefinition().FullName == "System.Nullable`1" ? t.GetGenericArguments()[0] : t;

        private static bool Assignable(Type parameter, Type value)
        {
            var target = Unwrap(Element(parameter));
            value = Unwrap(value);
            return target.FullName is "System.Object" or "System.Management.Automation.PSObject" || target.IsAssignableFrom(value) ||
                   (value.IsArray && parameter.IsArray && target.IsAssignableFrom(value.GetElementType()!));
        }

        // LanguagePrimitives: anything becomes a string; a string becomes an enum, a number, or a type with Parse(string).
        private static bool Coercible(Type value, Type parameter)
        {
            if (Assignable(parameter, value)) return true;
            var target = Unwrap(Element(parameter));
            if (target.FullName == "System.String") return true;
            if (Unwrap(value).FullName != "System.String") return false;
            return target.IsEnum || target.IsPrimitive ||
                   target.GetMethod("Parse", BindingFlags.Public | BindingFlags.Static, null, new[] { value }, null) != null;
        }
    }
}
