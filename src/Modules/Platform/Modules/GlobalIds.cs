using System.Buffers.Text;
using System.Text;
using GraphQL;
using GraphQL.Types;
using Helpline.Platform.Errors;

namespace Helpline.Platform.Modules;

/// <summary>
/// Relay global ids: <c>Type:key</c> (a GraphQL type name and the object's own key, e.g. an officer id or a
/// grievance's reference number) in unpadded base64url. Stable (the same object always has the same id) and opaque to
/// clients, who pass them back to <c>node</c> and <c>nodes</c> rather than reading them.
/// </summary>
public static class GlobalIds
{
    /// <summary>The longest global id read: every key Helpline hands out is far shorter.</summary>
    public const int MaxLength = 512;

    /// <summary>The global id of the object of type <paramref name="typeName"/> with key <paramref name="key"/>.</summary>
    public static string Of(string typeName, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(typeName);
        ArgumentNullException.ThrowIfNull(key);
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(typeName + ":" + key));
    }

    /// <summary>
    /// The type name and key of a global id; refused (<c>INVALID_VALUE</c> naming <paramref name="argument"/>) when it
    /// is not one Helpline made.
    /// </summary>
    public static (string TypeName, string Key) Read(string id, string argument)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length is > 0 and <= MaxLength && Base64Url.IsValid(id))
        {
            try
            {
                var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(id));
                var colon = text.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && colon < text.Length - 1 && !text.Any(char.IsControl))
                {
                    return (text[..colon], text[(colon + 1)..]);
                }
            }
            catch (DecoderFallbackException)
            {
                // not UTF-8: refused below like any other id Helpline never made
            }
        }

        throw new HelplineException(ErrorCodes.Invalid, $"{argument} is not a global id (take it from an object's globalId).", argument);
    }
}

/// <summary>
/// Finds the objects of one type by the key in their global id, for <c>node</c> and <c>nodes</c>. Each module that owns a
/// refetchable type registers one, applying the same access rules as its own root field.
/// </summary>
public interface INodeSource
{
    /// <summary>The GraphQL type name, as written in the global ids (for example <c>Officer</c>).</summary>
    string TypeName { get; }

    /// <summary>
    /// The object with <paramref name="key"/>, or null when there is none; a <see cref="HelplineException"/> when the
    /// caller may not have it, exactly as the type's own root field refuses it.
    /// </summary>
    /// <param name="context">The resolver's context (caller, services).</param>
    /// <param name="key">The key read from the global id.</param>
    Task<object?> FindAsync(IResolveFieldContext context, string key);
}

/// <summary>
/// The GraphQL interface <c>Node</c> of the objects a client may refetch by global id. Its id field is <c>globalId</c>,
/// not Relay's usual <c>id</c>: Officer, Position, Jurisdiction, Category and Department already had an <c>id</c> (their
/// own key, which partners store), and changing its meaning would break them.
/// </summary>
public sealed class NodeGraphType : InterfaceGraphType
{
    /// <summary>Creates the interface.</summary>
    public NodeGraphType()
    {
        Name = "Node";
        Description = "An object refetched by its global id with node(id) or nodes(ids). Its id field is globalId (Relay: set the compiler's schemaConfig.nodeInterfaceIdField to \"globalId\").";
        Field<NonNullGraphType<IdGraphType>>("globalId").Description("Stable, opaque global id; pass it to node(id).");
    }

    /// <summary>Adds <c>globalId</c> to an object type implementing <c>Node</c>.</summary>
    /// <param name="type">The object type.</param>
    /// <param name="typeName">Its name as written in global ids.</param>
    /// <param name="key">Its key.</param>
    /// <typeparam name="T">Its source type.</typeparam>
    public static void Implement<T>(ObjectGraphType<T> type, string typeName, Func<T, string> key)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(key);
        type.Interface<NodeGraphType>();
        type.IsTypeOf = o => o is T;
        type.Field<NonNullGraphType<IdGraphType>>("globalId")
            .Description("Stable, opaque global id; pass it to node(id) to refetch this object.")
            .Resolve(c => GlobalIds.Of(typeName, key(c.Source)));
    }
}
