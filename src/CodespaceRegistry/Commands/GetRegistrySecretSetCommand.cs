using System.Linq;
using System.Management.Automation;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Commands
{
    /// <summary>
    /// <para type="synopsis">Finds the registry secret sets (&lt;ID&gt;_CONTAINER_REGISTRY_SERVER/_USER/_PASSWORD) a codespace sees, and what is wrong with them.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "RegistrySecretSet", DefaultParameterSetName = EnvironmentSet)]
    [OutputType(typeof(RegistrySecretSet))]
    public sealed class GetRegistrySecretSetCommand : CmdletBase
    {
        public const string EnvironmentSet = "Environment";

        /// <summary>Identifiers of the sets to return; wildcards allowed.</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        /// <summary>Adds a PlainTextPassword property to each set: the only way this module shows a password.</summary>
        [Parameter]
        public SwitchParameter AsPlainText { get; set; }

        protected override void EndProcessing()
        {
            var patterns = (Name ?? new[] { "*" }).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
            var matched = new bool[patterns.Count];
            foreach (var set in SecretSetReader.FromProcessEnvironment(Clock))
            {
                var hit = false;
                for (var i = 0; i < patterns.Count; i++)
                {
                    if (patterns[i].IsMatch(set.Name)) { matched[i] = true; hit = true; }
                }
                if (hit) WriteSet(set);
            }
            for (var i = 0; i < patterns.Count; i++)
            {
                if (!matched[i] && !WildcardPattern.ContainsWildcardCharacters(Name![i]))
                {
                    WriteError(new RegistryException("RegistrySecretSetNotFound", ErrorKind.ObjectNotFound,
                        $"No registry secret set named '{Name[i]}' is in this environment. Secrets added after the codespace started reach it only after it is stopped and started again."), Name[i]);
                }
            }
        }

        private void WriteSet(RegistrySecretSet set)
        {
            if (!AsPlainText || set.Password == null)
            {
                WriteObject(set);
                return;
            }
            var wrapped = PSObject.AsPSObject(set);
            wrapped.Properties.Add(new PSNoteProperty("PlainTextPassword", SecureStrings.Reveal(set.Password)));
            WriteObject(wrapped);
        }
    }
}
