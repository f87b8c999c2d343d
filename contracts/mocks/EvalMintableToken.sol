// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/**
 * @dev Evaluation fixture for the analyst: a protocol token whose owner may mint without limit, owned
 * by the DAO's timelock (the BUILD token before the Build Finance takeover). Not for deployment.
 */
contract EvalMintableToken is ERC20, Ownable {
    constructor(string memory name_, string memory symbol_, address owner_) ERC20(name_, symbol_) Ownable(owner_) {}

    /// @notice Creates `amount` new tokens for `to`; only the owner may.
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}
