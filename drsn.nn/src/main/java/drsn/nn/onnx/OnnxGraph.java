package drsn.nn.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An ONNX graph under construction, and its encoding as a ModelProto. Holds the field numbers of
 * the handful of ONNX messages a model needs (from onnx.proto): ModelProto, OperatorSetIdProto,
 * GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto, TypeProto and
 * TensorShapeProto. Tensors are float32 (or int64 for shapes and axes); the batch dimension of
 * inputs and outputs is symbolic.
 */
final class OnnxGraph {

  /** IR version 7 and opset 13: the oldest that has every operator used, so older runtimes load it. */
  static final long IR_VERSION = 7;
  static final long OPSET = 13;

  static final int FLOAT = 1;
  static final int INT64 = 7;

  // ModelProto
  private static final int MODEL_IR_VERSION = 1;
  private static final int MODEL_PRODUCER_NAME = 2;
  private static final int MODEL_PRODUCER_VERSION = 3;
  private static final int MODEL_DOC_STRING = 6;
  private static final int MODEL_GRAPH = 7;
  private static final int MODEL_OPSET_IMPORT = 8;
  // OperatorSetIdProto
  private static final int OPSET_DOMAIN = 1;
  private static final int OPSET_VERSION = 2;
  // GraphProto
  private static final int GRAPH_NODE = 1;
  private static final int GRAPH_NAME = 2;
  private static final int GRAPH_INITIALIZER = 5;
  private static final int GRAPH_INPUT = 11;
  private static final int GRAPH_OUTPUT = 12;
  // NodeProto
  private static final int NODE_INPUT = 1;
  private static final int NODE_OUTPUT = 2;
  private static final int NODE_NAME = 3;
  private static final int NODE_OP_TYPE = 4;
  private static final int NODE_ATTRIBUTE = 5;
  // AttributeProto and its AttributeType values
  private static final int ATTR_NAME = 1;
  private static final int ATTR_F = 2;
  private static final int ATTR_I = 3;
  private static final int ATTR_S = 4;
  private static final int ATTR_INTS = 8;
  private static final int ATTR_TYPE = 20;
  private static final int TYPE_FLOAT = 1;
  private static final int TYPE_INT = 2;
  private static final int TYPE_STRING = 3;
  private static final int TYPE_INTS = 7;
  // TensorProto
  private static final int TENSOR_DIMS = 1;
  private static final int TENSOR_DATA_TYPE = 2;
  private static final int TENSOR_NAME = 8;
  private static final int TENSOR_RAW_DATA = 9;
  // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto, TensorShapeProto.Dimension
  private static final int VALUE_NAME = 1;
  private static final int VALUE_TYPE = 2;
  private static final int TYPE_TENSOR_TYPE = 1;
  private static final int TENSOR_TYPE_ELEM_TYPE = 1;
  private static final int TENSOR_TYPE_SHAPE = 2;
  private static final int SHAPE_DIM = 1;
  private static final int DIM_VALUE = 1;
  private static final int DIM_PARAM = 2;

  /** Protobuf messages cannot exceed 2 GB; ONNX files that large need external data, which this writer does not do. */
  static final long MAX_BYTES = (1L << 31) - 1;

  /** One attribute of a node. */
  record Attribute(String name, int type, long i, float f, String s, long[] ints) {
    static Attribute of(String name, long value) {
      return new Attribute(name, TYPE_INT, value, 0f, null, null);
    }

    static Attribute of(String name, float value) {
      return new Attribute(name, TYPE_FLOAT, 0, value, null, null);
    }

    static Attribute of(String name, String value) {
      return new Attribute(name, TYPE_STRING, 0, 0f, value, null);
    }

    static Attribute ints(String name, long... values) {
      return new Attribute(name, TYPE_INTS, 0, 0f, null, values.clone());
    }

    ProtoWriter encode() {
      ProtoWriter a = new ProtoWriter().string(ATTR_NAME, name).varint(ATTR_TYPE, type);
      switch (type) {
        case TYPE_INT -> a.varint(ATTR_I, i);
        case TYPE_FLOAT -> a.fixedFloat(ATTR_F, f);
        case TYPE_STRING -> a.string(ATTR_S, s);
        default -> {
          for (long v : ints) {
            a.varint(ATTR_INTS, v);
          }
        }
      }
      return a;
    }
  }

  private final String name;
  private final List<ProtoWriter> nodes = new ArrayList<>();
  private final List<ProtoWriter> initializers = new ArrayList<>();
  private final List<ProtoWriter> inputs = new ArrayList<>();
  private final List<ProtoWriter> outputs = new ArrayList<>();
  private final Set<String> names = new HashSet<>();
  private long bytes;

  OnnxGraph(String name) {
    this.name = name;
  }

  /**
   * Adds a node computing {@code opType} of the inputs into one output named {@code output} (also
   * the node's name); returns that name, for the next node's inputs.
   */
  String node(String output, String opType, List<String> in, Attribute... attributes) {
    claim(output);
    ProtoWriter n = new ProtoWriter();
    for (String i : in) {
      n.string(NODE_INPUT, i);
    }
    n.string(NODE_OUTPUT, output).string(NODE_NAME, output).string(NODE_OP_TYPE, opType);
    for (Attribute a : attributes) {
      n.message(NODE_ATTRIBUTE, a.encode());
    }
    add(nodes, n);
    return output;
  }

  /** A float32 constant of the given shape (values in row-major order); returns its name. */
  String floats(String tensorName, long[] shape, float[] values) {
    long count = 1;
    for (long d : shape) {
      count *= d;
    }
    if (count != values.length) {
      throw new IllegalArgumentException(tensorName + ": shape holds " + count + " values, got " + values.length);
    }
    if (4L * values.length > MAX_BYTES) {
      throw new IllegalArgumentException(tensorName + " is too large for an ONNX file without external data");
    }
    ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(values);
    return initializer(tensorName, FLOAT, shape, raw.array());
  }

  /** A 1-D int64 constant (axes, pads, starts); returns its name. */
  String int64s(String tensorName, long... values) {
    ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    raw.asLongBuffer().put(values);
    return initializer(tensorName, INT64, new long[] {values.length}, raw.array());
  }

  private String initializer(String tensorName, int type, long[] shape, byte[] raw) {
    claim(tensorName);
    ProtoWriter t = new ProtoWriter();
    for (long d : shape) {
      t.varint(TENSOR_DIMS, d);
    }
    t.varint(TENSOR_DATA_TYPE, type).string(TENSOR_NAME, tensorName).bytes(TENSOR_RAW_DATA, raw);
    add(initializers, t);
    return tensorName;
  }

  /** A float32 graph input with a symbolic batch dimension {@code batch} before {@code dims}. */
  String input(String inputName, String batch, long... dims) {
    claim(inputName);
    add(inputs, valueInfo(inputName, batch, dims));
    return inputName;
  }

  /** Declares the value {@code outputName} (a node's output) a graph output, batch first. */
  void output(String outputName, String batch, long... dims) {
    add(outputs, valueInfo(outputName, batch, dims));
  }

  private static ProtoWriter valueInfo(String valueName, String batch, long[] dims) {
    ProtoWriter shape = new ProtoWriter().message(SHAPE_DIM, new ProtoWriter().string(DIM_PARAM, batch));
    for (long d : dims) {
      shape.message(SHAPE_DIM, new ProtoWriter().varint(DIM_VALUE, d));
    }
    ProtoWriter tensorType = new ProtoWriter().varint(TENSOR_TYPE_ELEM_TYPE, FLOAT).message(TENSOR_TYPE_SHAPE, shape);
    return new ProtoWriter().string(VALUE_NAME, valueName)
        .message(VALUE_TYPE, new ProtoWriter().message(TYPE_TENSOR_TYPE, tensorType));
  }

  /** The ModelProto: this graph, IR version 7, the default operator set at version 13. */
  byte[] toModel(String producerVersion, String docString) {
    ProtoWriter graph = new ProtoWriter();
    for (ProtoWriter n : nodes) {
      graph.message(GRAPH_NODE, n);
    }
    graph.string(GRAPH_NAME, name);
    for (ProtoWriter t : initializers) {
      graph.message(GRAPH_INITIALIZER, t);
    }
    for (ProtoWriter i : inputs) {
      graph.message(GRAPH_INPUT, i);
    }
    for (ProtoWriter o : outputs) {
      graph.message(GRAPH_OUTPUT, o);
    }
    return new ProtoWriter()
        .varint(MODEL_IR_VERSION, IR_VERSION)
        .string(MODEL_PRODUCER_NAME, "drsn")
        .string(MODEL_PRODUCER_VERSION, producerVersion)
        .string(MODEL_DOC_STRING, docString)
        .message(MODEL_GRAPH, graph)
        .message(MODEL_OPSET_IMPORT, new ProtoWriter().string(OPSET_DOMAIN, "").varint(OPSET_VERSION, OPSET))
        .toByteArray();
  }

  /** Names are single-assignment in ONNX: a second value of one name is a bug in the exporter. */
  private void claim(String valueName) {
    if (!names.add(valueName)) {
      throw new IllegalStateException("ONNX value name used twice: " + valueName);
    }
  }

  private void add(List<ProtoWriter> list, ProtoWriter message) {
    bytes += message.size() + 16;
    if (bytes > MAX_BYTES) {
      throw new IllegalArgumentException("the model is too large for an ONNX file without external data (2 GB)");
    }
    list.add(message);
  }
}
