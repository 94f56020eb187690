/*!
 * jp-prefecture
 * Utility library dealing with prefectures and regions in Japan.
 *
 * @version 0.2.1
 * @license MIT
 * @author tsuyoshiwada
 */
(function(global, factory) {
  "use strict";
  typeof exports === "object" && typeof module !== "undefined" ? module.exports = factory() :
  typeof define === "function" && define.amd ? define(factory) :
  global.jpPrefecture = factory();
}(this, function() {
  "use strict";

  var VERSION = "0.2.1";
  var jp;
  var undefined;

  // Trimmed to the prefectures of the fixture.
  var prefectures = [
    {id:1,  region:1, name:"北海道",   short:"北海道", kana:"ホッカイドウ", en:"hokkaido",  neighbor:[2]},
    {id:2,  region:2, name:"青森県",   short:"青森",   kana:"アオモリ",     en:"aomori",    neighbor:[1, 3, 5]},
    {id:13, region:3, name:"東京都",   short:"東京",   kana:"トウキョウ",   en:"tokyo",     neighbor:[11, 12, 14, 19]},
    {id:43, region:8, name:"熊本県",   short:"熊本",   kana:"クマモト",     en:"kumamoto",  neighbor:[40, 41, 42, 44, 45, 46]},
  ];
}));
