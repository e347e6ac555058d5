package io.kubitect.core.picture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** Parses pictures with the JDK's XML parser and checks that their texts stay in their boxes. */
final class PictureChecks {
  private PictureChecks() {}

  /** Parses the SVG as namespace-aware XML, refusing DOCTYPEs and external entities. */
  static Document parse(String svg) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    factory.setExpandEntityReferences(false);
    DocumentBuilder builder = factory.newDocumentBuilder();
    builder.setErrorHandler(null);
    return builder.parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  static int intAttr(Element e, String name) {
    return Integer.parseInt(e.getAttribute(name));
  }

  /** Every {@code <text>} of the document, with its text content as the parser reads it. */
  static List<Element> texts(Document doc) {
    return elements(doc.getElementsByTagNameNS("*", "text"));
  }

  static List<Element> elements(NodeList nodes) {
    List<Element> list = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      list.add((Element) nodes.item(i));
    }
    return list;
  }

  /** The estimated right edge of a text, as {@link Texts} estimates it. */
  static int rightEdge(Element text) {
    return intAttr(text, "x") + Texts.widthPx(text.getTextContent(), intAttr(text, "font-size"));
  }

  /**
   * Every text lies inside the picture's margins, and every text of a box (a {@code <g>}, whose
   * first rectangle is the box) lies inside that box.
   */
  static void assertTextsFit(Document doc) {
    Element svg = doc.getDocumentElement();
    int width = intAttr(svg, "width");
    for (Element text : texts(doc)) {
      assertThat(rightEdge(text))
          .as("right edge of '%s'", text.getTextContent())
          .isLessThanOrEqualTo(width - PictureRenderer.MARGIN);
      Node parent = text.getParentNode();
      if (parent instanceof Element group && group.getLocalName().equals("g")) {
        Element box = firstRect(group);
        assertThat(intAttr(text, "x"))
            .as("left edge of '%s'", text.getTextContent())
            .isGreaterThan(intAttr(box, "x"));
        assertThat(rightEdge(text))
            .as("right edge of '%s' in its box", text.getTextContent())
            .isLessThan(intAttr(box, "x") + intAttr(box, "width"));
        assertThat(intAttr(text, "y"))
            .as("baseline of '%s' in its box", text.getTextContent())
            .isGreaterThan(intAttr(box, "y"))
            .isLessThan(intAttr(box, "y") + intAttr(box, "height"));
      }
    }
  }

  private static Element firstRect(Element group) {
    for (Node child = group.getFirstChild(); child != null; child = child.getNextSibling()) {
      if (child instanceof Element e && e.getLocalName().equals("rect")) {
        return e;
      }
    }
    throw new AssertionError("a group without a box");
  }

  /** The texts' contents, in document order. */
  static List<String> textContents(Document doc) {
    return texts(doc).stream().map(Element::getTextContent).toList();
  }
}
